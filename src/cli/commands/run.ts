// `need-a-queue run <job> [data] --runner ID`: one job on one runner, with its lifecycle
// events and its result: the quickest way to see what a runner does with, say, `fail` or
// `crash`. Starts only the services the runner needs, and stops them afterwards.

import type { Command } from 'commander';
import type { Runner } from '../../contract.ts';
import { messageOf } from '../../errors.ts';
import { createRunner, describeRunner } from '../../runners/registry.ts';
import { createServiceHub } from '../../services/index.ts';
import { numberFlag, parseJobData, submitOptionsFrom, withSubmitFlags, type SubmitFlags } from '../job-input.ts';
import { privateStoreNotice, serviceOptions } from './runners.ts';

interface RunFlags extends SubmitFlags {
  readonly runner: string;
  readonly wait: string;
}

/**
 * When a job throws outside its promise (`crash`), Node ends the process: that is the lesson,
 * so the stack stays, labelled, and one line after it says what the death cost. Node prints
 * its report after every 'exit' listener has run, so nothing could follow it; this handler
 * prints the stack itself and ends the process with Node's own exit code for it, 1.
 */
function explainCrashes(runner: Runner, inFlight: () => number, storeIsPrivate: boolean): void {
  process.on('uncaughtException', (error) => {
    const n = inFlight();
    const jobs = `${n} job${n === 1 ? '' : 's'}`;
    const fate = runner.traits.durable
      ? `its Worker ran the job on this event loop, so the job stays stored and runs again once its lock expires${storeIsPrivate ? ' (here the store was private and ends with this process)' : ''}`
      : `${runner.id} keeps jobs in this process's memory, so every job in flight (${jobs} here) died with it`;
    process.stderr.write(`uncaught exception (thrown outside the job's promise, so no await or .catch sees it):\n${error.stack ?? String(error)}\n`);
    process.stderr.write(`${runner.id}: that ended this process: ${fate}. Running jobs in threads (--runner worker-pool) or in worker processes keeps a crash from taking the caller with it.\n`);
    process.exit(1);
  });
}

export function registerRun(program: Command): void {
  withSubmitFlags(
    program
      .command('run')
      .description('run one job on one runner and show its events and result')
      .argument('<job>', 'a job from `need-a-queue jobs`')
      .argument('[data]', 'the job data as JSON, e.g. \'{"ms": 100}\'')
      .option('--runner <id>', 'a runner from `need-a-queue runners`', 'task'),
  )
    .option('--wait <ms>', 'how long to wait for the job to finish', '10000')
    .action(async (job: string, dataText: string | undefined, flags: RunFlags) => {
      const data = parseJobData(job, dataText);
      const waitMs = numberFlag('wait', flags.wait) ?? 10_000;
      const options = submitOptionsFrom(flags);
      const descriptor = describeRunner(flags.runner);
      const hub = createServiceHub();
      try {
        const notice = privateStoreNotice(descriptor.id, process.env);
        if (notice !== undefined) process.stdout.write(`${notice}\n`);
        // No onError of its own: the runner's default says each distinct background error once
        // on stderr, where a store that is down would otherwise print a line per retry.
        const runner = await createRunner(flags.runner, await serviceOptions(flags.runner, hub));
        let inFlight = 0;
        const storeIsPrivate = descriptor.services.some((service) => !process.env[service === 'redis' ? 'REDIS_URL' : 'DATABASE_URL']);
        explainCrashes(runner, () => inFlight, storeIsPrivate);
        const t0 = performance.timeOrigin + performance.now();
        runner.onEvent((e) => {
          if (e.type === 'accepted') inFlight++;
          else if (e.type === 'completed' || e.type === 'failed') inFlight--;
          process.stdout.write(`  +${(e.at - t0).toFixed(2).padStart(8)} ms  ${e.type.padEnd(9)} attempt ${e.attempt}${e.error === undefined ? '' : `  ${e.error}`}\n`);
        });
        process.stdout.write(`${flags.runner}: submitting ${job} ${JSON.stringify(data)}\n`);
        const ticket = await runner.submit(job, data, options);
        try {
          const value = await ticket.result({ timeoutMs: waitMs });
          process.stdout.write(`result: ${JSON.stringify(value)}\n`);
        } catch (error) {
          process.stdout.write(`result: ${messageOf(error)}\n`);
          if (!runner.traits.result) await new Promise((resolve) => setTimeout(resolve, Math.min(waitMs, 1000)));
          else process.exitCode = 1;
        }
        const report = await runner.stop({ drain: false, timeoutMs: 2000 });
        // Said only when the stop left something behind, and what becomes of it.
        if (report.abandoned > 0) {
          process.stdout.write(`stopped with ${report.abandoned} job(s) still running: ${runner.traits.durable ? 'they stay in the store, and a worker on this queue runs them again once their lock expires' : `lost: ${runner.id} keeps jobs in this process's memory`}\n`);
        }
        if (report.stored > 0) {
          process.stdout.write(`stopped with ${report.stored} job(s) still stored${storeIsPrivate ? ': the private store ends with this run, and they with it' : ', for a worker on this queue'}\n`);
        }
      } finally {
        await hub.stop();
      }
    });
}
