// `need-a-queue run <job> [data] --runner ID`: one job on one runner, with its lifecycle
// events and its result: the quickest way to see what a runner does with, say, `fail` or
// `crash`. Starts only the services the runner needs, and stops them afterwards.

import type { Command } from 'commander';
import type { Json, SubmitOptions } from '../../contract.ts';
import { InvalidJobDataError, InvalidOptionError, messageOf } from '../../errors.ts';
import { createRunner } from '../../runners/registry.ts';
import { createServiceHub } from '../../services/index.ts';
import { serviceOptions } from './runners.ts';

interface RunFlags {
  readonly runner: string;
  readonly attempts?: string;
  readonly timeout?: string;
  readonly delay?: string;
  readonly wait: string;
}

function parseData(job: string, text: string | undefined): Json {
  if (text === undefined) return null;
  try {
    return JSON.parse(text) as Json;
  } catch {
    throw new InvalidJobDataError(job, `not JSON: ${text}`, 'the data as JSON, e.g. \'{"ms": 100}\'');
  }
}

function number(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value)) throw new InvalidOptionError(`--${flag}`, 'a number', text);
  return value;
}

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('run one job on one runner and show its events and result')
    .argument('<job>', 'a job from `need-a-queue jobs`')
    .argument('[data]', 'the job data as JSON, e.g. \'{"ms": 100}\'')
    .option('--runner <id>', 'a runner from `need-a-queue runners`', 'task')
    .option('--attempts <n>', 'total attempts (runners with retries)')
    .option('--timeout <ms>', 'per-job timeout (runners that honour timeoutMs)')
    .option('--delay <ms>', 'delay before the job may start (BullMQ runners)')
    .option('--wait <ms>', 'how long to wait for the job to finish', '10000')
    .action(async (job: string, dataText: string | undefined, flags: RunFlags) => {
      const data = parseData(job, dataText);
      const waitMs = number('wait', flags.wait) ?? 10_000;
      const attempts = number('attempts', flags.attempts);
      const timeoutMs = number('timeout', flags.timeout);
      const delayMs = number('delay', flags.delay);
      const options: SubmitOptions = {
        ...(attempts === undefined ? {} : { attempts }),
        ...(timeoutMs === undefined ? {} : { timeoutMs }),
        ...(delayMs === undefined ? {} : { delayMs }),
      };
      const hub = createServiceHub();
      try {
        const runner = await createRunner(flags.runner, {
          ...(await serviceOptions(flags.runner, hub)),
          onError: (error) => process.stdout.write(`  onError: ${error.message}\n`),
        });
        const t0 = performance.timeOrigin + performance.now();
        runner.onEvent((e) => {
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
        process.stdout.write(`stopped: ${report.finished} finished, ${report.abandoned} abandoned, ${report.stored} stored\n`);
      } finally {
        await hub.stop();
      }
    });
}
