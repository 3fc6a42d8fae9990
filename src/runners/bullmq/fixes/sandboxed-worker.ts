// The fix for "a CPU-bound job on the worker's thread stops lock renewal and runs twice": a
// BullMQ Worker whose processor is a file (a *sandboxed processor*), so each job runs in a
// child process (default) or a worker thread (`useWorkerThreads: true`) while the Worker's
// own event loop keeps renewing the job's lock and answering everything else.
//
// How it works: `new Worker(queue, SANDBOXED_ENTRY_FILE, opts)` makes BullMQ keep a pool of
// sandboxes (one per concurrent job, reused between jobs). The Worker's thread only fetches
// jobs, renews locks every lockDuration / 2, checks for stalled jobs and passes results; the
// job itself (sandboxed-job.ts, a catalogue job: name and data, as the kit stores it) runs in the sandbox.
// Jobs submitted by the kit's `bullmq-redis` / `bullmq-postgres` runners (with
// `consume: false`, or from any process) run here unchanged.
//
// Costs: a sandbox starts a Node process or thread (plus tsx) on first use; data and results
// cross as JSON; the job's `timeoutMs` option is not enforced (see sandboxed-job.ts).
//
//   const worker = await startSandboxedWorker({ kind: 'redis', url, queue: 'q', useWorkerThreads: true });
//   ...
//   await worker.close();

import { fileURLToPath } from 'node:url';
import { Worker, type WorkerOptions } from 'bullmq';
import { backendArgs, migratePostgres, type BullmqBackendKind } from '../backend.ts';
import { parseTuning } from '../tuning.ts';

/** The processor file BullMQ loads in each sandbox (plain JS: it registers tsx itself). */
export const SANDBOXED_ENTRY_FILE = fileURLToPath(new URL('./sandboxed-entry.js', import.meta.url));

export interface SandboxedWorkerOptions {
  readonly kind: BullmqBackendKind;
  /** redis:// or postgres:// URL. */
  readonly url: string;
  readonly queue: string;
  /** Redis key prefix or PostgreSQL schema; the kit runners' defaults when absent. */
  readonly namespace?: string;
  /** Jobs at once, each in its own sandbox. Default 1. */
  readonly concurrency?: number;
  /** Worker threads instead of child processes. Default false. */
  readonly useWorkerThreads?: boolean;
  readonly lockDuration?: number;
  /** How often the Worker renews a running job's lock; BullMQ's default is lockDuration / 2. */
  readonly lockRenewTime?: number;
  readonly stalledInterval?: number;
  readonly maxStalledCount?: number;
  /** Background errors (a lost connection BullMQ retries, a sandbox that failed to start); console.warn by default. */
  readonly onError?: (error: Error) => void;
}

type WorkerCtor = new (...args: unknown[]) => Worker;

/** Starts a Worker with a sandboxed processor and resolves once it is connected. */
export async function startSandboxedWorker(options: SandboxedWorkerOptions): Promise<Worker> {
  const namespaceKey = options.kind === 'redis' ? 'prefix' : 'schema';
  const { namespace } = parseTuning(options.kind, options.namespace === undefined ? {} : { [namespaceKey]: options.namespace });
  if (options.kind === 'postgres') await migratePostgres(options.url, namespace);
  const args = backendArgs(options.kind, options.url, namespace);
  // The sandbox inherits this process's environment.
  const env = { ...process.env };
  const opts: WorkerOptions = {
    connection: args.connection,
    ...(args.prefix === undefined ? {} : { prefix: args.prefix }),
    concurrency: options.concurrency ?? 1,
    useWorkerThreads: options.useWorkerThreads ?? false,
    ...(options.useWorkerThreads === true ? { workerThreadsOptions: { env } } : { workerForkOptions: { env } }),
    ...(options.lockDuration === undefined ? {} : { lockDuration: options.lockDuration }),
    ...(options.lockRenewTime === undefined ? {} : { lockRenewTime: options.lockRenewTime }),
    ...(options.stalledInterval === undefined ? {} : { stalledInterval: options.stalledInterval }),
    ...(options.maxStalledCount === undefined ? {} : { maxStalledCount: options.maxStalledCount }),
  };
  // BullMQ's overloads (backend factory or not) do not narrow through a union: one cast here.
  const worker = new (Worker as unknown as WorkerCtor)(options.queue, SANDBOXED_ENTRY_FILE, opts, args.factory);
  worker.on('error', options.onError ?? ((error: Error) => console.warn(`[sandboxed worker ${options.queue}] ${error.message}`)));
  try {
    await worker.waitUntilReady();
  } catch (error) {
    await worker.close(true).catch(() => undefined);
    throw error;
  }
  return worker;
}
