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
import type { Json, Runner } from '../../contract.ts';
import { InvalidOptionError } from '../../errors.ts';
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
  let completed = 0;
  let failed = 0;
  let running = 0;
  runner.onEvent((event) => {
    if (event.type === 'started') running++;
    else if (event.type === 'completed') {
      completed++;
      running--;
    } else if (event.type === 'failed' || event.type === 'retrying') {
      failed++;
      running--;
    }
  });
  let last = 0;
  const ticker = config.progress === true
    ? setInterval(() => {
        write(`progress completed=${completed} (+${completed - last}/s) failed=${failed} running=${running}`);
        last = completed;
      }, 1000)
    : undefined;
  ticker?.unref();
  write(`ready ${process.pid}`);
  return {
    runner,
    stop: async () => {
      if (ticker !== undefined) clearInterval(ticker);
      const report = await runner.stop({ drain: true, timeoutMs: 30_000 });
      write(`stopped finished=${report.finished} abandoned=${report.abandoned} stored=${report.stored} completed=${completed}`);
    },
  };
}

/** Stops on the first SIGTERM / SIGINT, then exits 0 (1 if stopping fails). */
export function stopOnSignals(stop: () => Promise<void>): void {
  let stopping = false;
  const onSignal = (): void => {
    if (stopping) return;
    stopping = true;
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`worker: stop failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
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
      process.stderr.write(`worker: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
