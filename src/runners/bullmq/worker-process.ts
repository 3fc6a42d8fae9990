// A standalone BullMQ worker for the job catalogue: the piece that makes `bullmq-*` scale past
// one process (and one machine: point several at one REDIS_URL / DATABASE_URL).
//
// How it works: it builds the kit's BullMQ runner with `consume: true` and `cleanup: false`
// (the producer owns the queue; a worker must not obliterate it), prints `ready <pid>` once
// its Worker is connected, optionally one `progress ...` line a second, and on SIGTERM or
// SIGINT closes gracefully (in-flight jobs finish, waiting ones stay stored), prints
// `stopped ...` and exits 0. Run directly:
//   node --import tsx src/runners/bullmq/worker-process.ts --runner bullmq-redis --queue q \
//     --concurrency 10 --url redis://... [--progress] [--lock-duration ms] [--stalled-interval ms]
//     [--namespace prefix-or-schema]
// or through the CLI: `need-a-queue worker ...` (src/cli/commands/worker.ts).

import { pathToFileURL } from 'node:url';
import { defaults, type Json, type Runner } from '../../contract.ts';
import { InvalidOptionError, NeedAQueueError, ServiceUnavailableError, messageOf } from '../../errors.ts';
import { createBullmqRunner } from './bullmq-runner.ts';
import { parseProcessFlags } from './process-flags.ts';

export const WORKER_PROCESS_FILE = new URL(import.meta.url).pathname;

export interface WorkerProcessConfig {
  readonly runner: 'bullmq-redis' | 'bullmq-postgres';
  readonly queue: string;
  readonly concurrency: number;
  /** Redis or PostgreSQL URL; falls back to REDIS_URL / DATABASE_URL. */
  readonly url?: string;
  readonly progress?: boolean;
  readonly lockDuration?: number;
  readonly stalledInterval?: number;
  /** Redis key prefix or PostgreSQL schema (the runner's defaults when absent). */
  readonly namespace?: string;
  /** Where lines go; stdout by default. */
  readonly write?: (line: string) => void;
}

/** Starts the worker and resolves with a stop function; the caller wires signals. */
export async function startWorkerProcess(config: WorkerProcessConfig): Promise<{ runner: Runner; stop: () => Promise<void> }> {
  const write = config.write ?? ((line: string) => void process.stdout.write(`${line}\n`));
  const kind = config.runner === 'bullmq-redis' ? 'redis' : 'postgres';
  if (config.runner !== 'bullmq-redis' && config.runner !== 'bullmq-postgres') throw new InvalidOptionError('runner', '`bullmq-redis` or `bullmq-postgres`', config.runner);
  const url = config.url ?? (kind === 'redis' ? process.env.REDIS_URL : process.env.DATABASE_URL);
  if (url === undefined || url === '') {
    // Named as the user passes it: a flag of `need-a-queue worker`, or the variable.
    const [flag, variable] = kind === 'redis' ? ['--redis-url', 'REDIS_URL'] : ['--database-url', 'DATABASE_URL'];
    throw new ServiceUnavailableError(kind, `The worker needs a ${kind === 'redis' ? 'Redis' : 'PostgreSQL'} URL: none given`, `pass ${flag} to \`need-a-queue worker\` (or set ${variable}); with neither, \`need-a-queue worker\` starts a private server and prints its URL`);
  }
  const tuning: Record<string, Json> = { consume: true, cleanup: false };
  if (config.lockDuration !== undefined) tuning.lockDuration = config.lockDuration;
  if (config.stalledInterval !== undefined) tuning.stalledInterval = config.stalledInterval;
  if (config.namespace !== undefined) tuning[kind === 'redis' ? 'prefix' : 'schema'] = config.namespace;
  const runner = await createBullmqRunner(config.runner, kind, {
    queue: config.queue,
    concurrency: config.concurrency,
    ...(kind === 'redis' ? { redisUrl: url } : { databaseUrl: url }),
    tuning,
  });
  // Counted from final outcomes; `running` is read from the runner, which counts the jobs its
  // processor holds (entered, not yet returned). Counting started minus finished events
  // drifted: a job whose completion write died with the store sends no event, then runs again.
  let completed = 0;
  let failed = 0;
  let retried = 0;
  runner.onEvent((event) => {
    if (event.type === 'completed') completed++;
    else if (event.type === 'failed') failed++;
    else if (event.type === 'retrying') retried++;
  });
  let last = 0;
  const ticker = config.progress === true
    ? setInterval(() => {
        write(`progress completed=${completed} (+${completed - last}/s) failed=${failed} retried=${retried} running=${runner.inFlight}`);
        last = completed;
      }, 1000)
    : undefined;
  ticker?.unref();
  write(`ready ${process.pid}`);
  return {
    runner,
    stop: async () => {
      if (ticker !== undefined) clearInterval(ticker);
      // The drain has its own deadline; the margin bounds what follows it (closing, counting
      // what is still stored), which waits on a store that may be gone.
      const limit = DRAIN_TIMEOUT_MS + STOP_MARGIN_MS;
      let timer: NodeJS.Timeout | undefined;
      const report = await Promise.race([
        runner.stop({ drain: true, timeoutMs: DRAIN_TIMEOUT_MS }),
        new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), limit))),
      ]).finally(() => clearTimeout(timer));
      if (report === undefined) {
        throw new ServiceUnavailableError(kind, `the store did not answer within ${limit} ms while the worker stopped`, 'jobs it held stay active in the store: a worker on this queue takes them once their lock expires');
      }
      write(`stopped finished=${report.finished} abandoned=${report.abandoned} stored=${report.stored} completed=${completed}`);
    },
  };
}

/** How long a stopping worker lets its jobs in flight finish: the contract's drain deadline. */
const DRAIN_TIMEOUT_MS = defaults.drainTimeoutMs;
/** What closing and counting may take after the drain, against a store that may be gone. */
const STOP_MARGIN_MS = 5_000;

/**
 * Stops on the first SIGTERM / SIGINT, then exits 0; 1, with one line, if stopping fails or
 * the store goes away under the stop (its client's error then ends the process, and a stack
 * would say nothing more). `expected` may call such a failure expected (a private store that
 * the same Ctrl-C reached): its line is printed instead, and the exit is 0.
 */
export function stopOnSignals(stop: () => Promise<void>, expected?: (error: unknown) => string | undefined): void {
  let stopping = false;
  const fail = (error: unknown): void => {
    const explained = expected?.(error);
    if (explained !== undefined) {
      process.stdout.write(`${explained}\n`);
      process.exit(0);
    }
    process.stderr.write(`worker: stopping failed: ${messageOf(error)}\n`);
    process.exit(1);
  };
  const onSignal = (): void => {
    if (stopping) {
      // A second Ctrl-C: the user will not wait for the drain.
      process.stderr.write('worker: quitting now; jobs in flight stay active in the store, and a worker on this queue takes them once their lock expires\n');
      process.exit(130);
    }
    stopping = true;
    process.stdout.write(`worker: stopping: jobs in flight may finish (up to ${DRAIN_TIMEOUT_MS / 1000} s), waiting jobs stay stored; Ctrl-C again to quit now\n`);
    process.on('uncaughtException', fail);
    stop().then(() => process.exit(0), fail);
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

function parseArgs(argv: readonly string[]): WorkerProcessConfig {
  const { values: flags, switches } = parseProcessFlags(argv, ['progress']);
  const progress = switches.has('progress');
  const num = (name: string): number | undefined => (flags.has(name) ? Number(flags.get(name)) : undefined);
  const url = flags.get('url');
  const lockDuration = num('lock-duration');
  const stalledInterval = num('stalled-interval');
  const namespace = flags.get('namespace');
  return {
    runner: (flags.get('runner') ?? 'bullmq-redis') as WorkerProcessConfig['runner'],
    queue: flags.get('queue') ?? 'need-a-queue',
    concurrency: num('concurrency') ?? 10,
    progress,
    ...(url === undefined ? {} : { url }),
    ...(lockDuration === undefined ? {} : { lockDuration }),
    ...(stalledInterval === undefined ? {} : { stalledInterval }),
    ...(namespace === undefined ? {} : { namespace }),
  };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  startWorkerProcess(parseArgs(process.argv.slice(2))).then(
    ({ stop }) => stopOnSignals(stop),
    (error: unknown) => {
      process.stderr.write(`worker: ${messageOf(error)}\n${error instanceof NeedAQueueError ? `  fix: ${error.fix}\n` : ''}`);
      process.exit(1);
    },
  );
}
