// `need-a-queue submit <job> [data]`: stores jobs in the queue that `need-a-queue worker`
// processes read, and exits; with --wait, it first waits (bounded) for their results. The
// producer half of "a worker in another shell": what a web request handler does with BullMQ.
//
// Everything about the input is checked before the store is touched (the job and its data,
// --count, the submit options, the runner), each mistake a typed error with its fix (exit 2).
// It never starts a store of its own: a private one nobody else reads would run nothing. So a
// missing URL, or a store that does not answer within the check's 5 s, is exit 1, with the
// way to get the worker's URL.

import type { Command } from 'commander';
import type { Json, Ticket } from '../../contract.ts';
import { InvalidOptionError, NeedAQueueError, ServiceUnavailableError, messageOf } from '../../errors.ts';
import { validateJob } from '../../jobs/catalogue.ts';
import { describeRunner } from '../../runners/registry.ts';
import { createRunner } from '../../runners/registry.ts';
import { checkSubmitOptions } from '../../runners/support.ts';
import { checkDatabaseUrl, checkRedisUrl } from '../../services/index.ts';
import { numberFlag, parseJobData, submitOptionsFrom, withSubmitFlags, type SubmitFlags } from '../job-input.ts';
import { namespaceTuning, sharedQueue, shownUrl, withSharedQueueFlags, type SharedQueue, type SharedQueueFlags } from '../queue-flags.ts';

/**
 * The most jobs one command stores. At the ~10k submits/s BullMQ manages on Redis here that
 * is about 10 s (PostgreSQL: about 100 s); past it a script that calls the runner, or
 * addBulk, is the better tool.
 */
export const MAX_SUBMIT_COUNT = 100_000;

/** Store writes in flight at once: as the benchmarks drive a runner, and well inside maxPendingSubmits. */
const IN_FLIGHT = 256;

/** --wait with no value: long enough for a few sleep jobs on a busy worker, short enough to notice nobody is there. */
const DEFAULT_WAIT_MS = 30_000;

interface SubmitCommandFlags extends SubmitFlags, SharedQueueFlags {
  readonly count: string;
  readonly wait?: string | true;
}

function countFlag(text: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isInteger(n) || n < 1 || n > MAX_SUBMIT_COUNT) throw new InvalidOptionError('--count', `an integer from 1 to ${MAX_SUBMIT_COUNT}`, text);
  return n;
}

function waitFlag(value: string | true | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (value === true) return DEFAULT_WAIT_MS;
  const ms = numberFlag('wait', value);
  if (ms === undefined || !Number.isInteger(ms) || ms < 1 || ms > 3_600_000) throw new InvalidOptionError('--wait', 'a number of ms from 1 to 3600000', value);
  return ms;
}

/** The store's URL, checked under the services' 5 s deadline; exit 1 with the worker's way out. */
async function reachableUrl(queue: SharedQueue): Promise<string> {
  const store = queue.kind === 'redis' ? 'Redis' : 'PostgreSQL';
  const worker = `need-a-queue worker${queue.runner === 'bullmq-redis' ? '' : ' --runner bullmq-postgres'} --queue ${queue.queue}`;
  if (queue.given === undefined) {
    throw new ServiceUnavailableError(queue.kind, `No ${store} to submit to: pass ${queue.flag} (or set ${queue.variable})`, `use the URL \`${worker}\` prints when it starts; submit starts no store of its own, since no worker would read it`);
  }
  try {
    if (queue.kind === 'redis') await checkRedisUrl(queue.given);
    else await checkDatabaseUrl(queue.given);
  } catch (error) {
    if (!(error instanceof ServiceUnavailableError)) throw error;
    // The check's own fix offers a private server, which is no use to a worker elsewhere.
    throw new ServiceUnavailableError(queue.kind, error.message, `check that the worker (\`${worker}\`) and its ${store} are still running, and pass the URL it printed`, { cause: error });
  }
  return queue.given;
}

export function registerSubmit(program: Command): void {
  const command = program
    .command('submit')
    .description('store jobs in a BullMQ queue for `need-a-queue worker` processes, then exit (--wait: wait for their results first)')
    .argument('<job>', 'a job from `need-a-queue jobs`')
    .argument('[data]', 'the job data as JSON, e.g. \'{"ms": 100}\'')
    .option('--count <n>', `how many of this job to store (1 to ${MAX_SUBMIT_COUNT})`, '1')
    .option('--wait [ms]', `wait for every result, up to ms (default ${DEFAULT_WAIT_MS}); exit 1 if any failed or did not finish`);
  withSubmitFlags(withSharedQueueFlags(command)).action(async (job: string, dataText: string | undefined, flags: SubmitCommandFlags) => {
    // Input first, store last: a mistake costs no connection and leaves nothing stored.
    const data = parseJobData(job, dataText);
    validateJob(job, data);
    const count = countFlag(flags.count);
    const waitMs = waitFlag(flags.wait);
    const queue = sharedQueue('submit', flags, process.env);
    const options = submitOptionsFrom(flags);
    const descriptor = describeRunner(queue.runner);
    checkSubmitOptions(descriptor.id, descriptor.traits, options);
    const url = await reachableUrl(queue);

    // consume false: this process stores jobs and runs none. cleanup false: a runner removes
    // an empty queue when it stops, and the worker's queue is not this process's to remove.
    const runner = await createRunner(queue.runner, {
      ...(queue.kind === 'redis' ? { redisUrl: url } : { databaseUrl: url }),
      queue: queue.queue,
      tuning: { consume: false, cleanup: false, ...namespaceTuning(queue) },
    });
    try {
      const tickets: Ticket[] = [];
      for (let start = 0; start < count; start += IN_FLIGHT) {
        const batch = Math.min(IN_FLIGHT, count - start);
        tickets.push(...(await Promise.all(Array.from({ length: batch }, () => runner.submit(job, data, options)))));
      }
      const ids = tickets.length === 1 ? `id ${tickets[0]?.id}` : `ids ${tickets[0]?.id} … ${tickets.at(-1)?.id}`;
      process.stdout.write(`stored ${count} × ${job} ${JSON.stringify(data)} in queue \`${queue.queue}\` (${queue.runner}, ${queue.kind === 'redis' ? 'prefix' : 'schema'} ${queue.namespace}, ${shownUrl(url)}): ${ids}\n`);
      if (waitMs === undefined) {
        process.stdout.write('a `need-a-queue worker` on this queue runs them; add --wait to see their results here\n');
        return;
      }
      await reportResults(tickets, waitMs);
    } finally {
      await runner.stop({ drain: false, timeoutMs: 2000 });
    }
  });
}

/** Waits for every ticket up to `waitMs`, prints one summary (and the first of each outcome), sets exit 1 unless all completed. */
async function reportResults(tickets: readonly Ticket[], waitMs: number): Promise<void> {
  const outcomes = await Promise.allSettled(tickets.map((t) => t.result({ timeoutMs: waitMs })));
  let completed = 0;
  let failed = 0;
  let unfinished = 0;
  let firstValue: Json | undefined;
  let firstFailure: string | undefined;
  for (const outcome of outcomes) {
    if (outcome.status === 'fulfilled') {
      completed++;
      if (completed === 1) firstValue = outcome.value;
    } else if (outcome.reason instanceof NeedAQueueError && outcome.reason.code === 'TIMEOUT') {
      unfinished++;
    } else {
      failed++;
      firstFailure ??= messageOf(outcome.reason);
    }
  }
  process.stdout.write(`results: ${completed} completed, ${failed} failed, ${unfinished} not finished within ${waitMs} ms\n`);
  if (firstValue !== undefined) process.stdout.write(`  first result: ${JSON.stringify(firstValue)}\n`);
  if (firstFailure !== undefined) process.stdout.write(`  first failure: ${firstFailure}\n`);
  if (unfinished > 0) process.stdout.write('  unfinished jobs stay stored; is a `need-a-queue worker` running on this queue, with the same URL and namespace?\n');
  if (completed < tickets.length) process.exitCode = 1;
}
