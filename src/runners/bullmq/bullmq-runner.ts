// The BullMQ core shared by `bullmq-redis` and `bullmq-postgres`: one Queue to submit, one
// Worker to run catalogue jobs in this process (unless `tuning.consume` is false), and a
// QueueEvents opened only when a ticket waits for a job that another process runs.
//
// How it works:
// - submit() validates the job, then `queue.add(job, data, { timeoutMs, ... })` within the
//   submit bounds (submit-bounds.ts): what plain BullMQ stores, plus the kit's per-job timeout
//   among the options (attempt.ts). It resolves once BullMQ has stored the job (Redis or
//   PostgreSQL), so an accepted job outlives this runner. On PostgreSQL, submits made in one
//   turn of the event loop are stored with one addBulk (add-batcher.ts).
// - Finished jobs are kept per `keepFinished` (retention.ts).
// - The Worker's processor runs the job through the catalogue with `attempt = attemptsMade + 1`,
//   an AbortSignal and the per-job timeout (attempt.ts); a job from another producer that the
//   catalogue cannot run fails for good, saying what it expects. `inFlight` counts the jobs
//   the processor holds, for a worker process's progress line.
// - Lifecycle events come from the Worker's `active` / `completed` / `failed` events;
//   a failed attempt that BullMQ will retry is `retrying`, the last one is `failed`. They go
//   out after the job's `accepted` even when the Worker is quicker than the add's reply
//   (accepted-first.ts).
//   Tickets wait for results in result-waiters.ts.
// - stop({ drain }) closes the Worker (drain: let in-flight jobs finish, up to timeoutMs, then
//   force). Waiting and delayed jobs stay stored for the next runner over the same store.
//   When nothing is left stored the queue is obliterated, so a run leaves no keys or rows.
//
// Options: tuning.ts documents `options.tuning`; backend.ts how BullMQ reaches each store.

import { randomUUID } from 'node:crypto';
import type { Job, Queue, Worker } from 'bullmq';
import { defaults } from '../../contract.ts';
import type { Json, LifecycleListener, ResultOptions, Runner, RunnerId, RunnerOptions, StopReport, SubmitOptions, Ticket } from '../../contract.ts';
import { InvalidOptionError, JobFailedError, RunnerStoppedError, ServiceUnavailableError } from '../../errors.ts';
import { validateJob } from '../../jobs/catalogue.ts';
import { EventHub, checkRunnerOptions, checkSubmitOptions, concurrencyOption, duration, errorSink, positiveInteger, resultTimeout, stopOnce, toError, until, type ErrorSink } from '../support.ts';
import { AcceptedFirst } from './accepted-first.ts';
import { AddBatcher } from './add-batcher.ts';
import { Attempt, type KitJobsOptions } from './attempt.ts';
import { backendArgs, makeQueue, makeWorker, migratePostgres, type BackendArgs, type BullmqBackendKind } from './backend.ts';
import { redisDescriptor } from './descriptor.ts';
import { ResultWaiters } from './result-waiters.ts';
import { keepFinished } from './retention.ts';
import { SubmitBounds, type SubmitLimits } from './submit-bounds.ts';
import { descriptorFor, parseTuning, type BullmqTuning } from './tuning.ts';

/** A BullMQ runner, and what a worker process reports about it. */
export interface BullmqRunner extends Runner {
  /**
   * Jobs this process's processor holds now: entered and not yet returned. Counted where they
   * run, so no event lost with the store (a completion write that died) can skew it.
   */
  readonly inFlight: number;
}

export async function createBullmqRunner(id: RunnerId, kind: BullmqBackendKind, options: RunnerOptions): Promise<BullmqRunner> {
  checkRunnerOptions(descriptorFor(kind), options);
  const url = kind === 'redis' ? options.redisUrl : options.databaseUrl;
  if (url === undefined) {
    throw new ServiceUnavailableError(
      kind,
      `Runner \`${id}\` needs a ${kind === 'redis' ? 'Redis' : 'PostgreSQL'} URL`,
      kind === 'redis'
        ? 'pass `redisUrl` (the CLI and bench take REDIS_URL or start a private redis-server for you)'
        : 'pass `databaseUrl` (the CLI and bench take DATABASE_URL or start embedded PostgreSQL for you)',
    );
  }
  const concurrency = concurrencyOption(options.concurrency, descriptorFor(kind));
  const queueName = options.queue ?? `need-a-queue-${randomUUID().slice(0, 8)}`;
  if (typeof queueName !== 'string' || !/^[A-Za-z0-9_.-]{1,100}$/.test(queueName)) throw new InvalidOptionError('queue', 'a name of letters, digits, _ . -', queueName);
  const tuning = parseTuning(kind, options.tuning);
  if (kind === 'postgres') await migratePostgres(url, tuning.namespace);
  const args = backendArgs(kind, url, tuning.namespace);
  const limits: SubmitLimits = {
    timeoutMs: options.submitTimeoutMs === undefined ? defaults.submitTimeoutMs : duration('submitTimeoutMs', options.submitTimeoutMs, 1),
    maxPending: positiveInteger('maxPendingSubmits', options.maxPendingSubmits, defaults.maxPendingSubmits),
  };
  return new BullmqQueueRunner(id, kind, queueName, concurrency, tuning, args, limits, errorSink(id, options.onError)).start();
}

class BullmqQueueRunner implements BullmqRunner {
  readonly id: RunnerId;
  readonly traits = redisDescriptor.traits;
  readonly #events = new EventHub();
  // Every event goes out through here, so a job's `accepted` comes before its Worker events.
  readonly #order: AcceptedFirst;
  readonly #queue: Queue;
  readonly #queueName: string;
  readonly #args: BackendArgs;
  readonly #tuning: BullmqTuning;
  readonly #concurrency: number;
  // PostgreSQL only: submits coalesced into addBulk (see add-batcher.ts).
  readonly #batcher: AddBatcher | undefined;
  readonly #bounds: SubmitBounds;
  readonly #results: ResultWaiters;
  #worker: Worker | undefined;
  // Each job the processor holds, from entry until it returns (so a stop can abort it).
  readonly #running = new Map<string, Attempt>();
  #stopping = false;
  #stopped = false;
  #finishedDuringStop = 0;
  // Background errors (a lost connection while the store restarts: BullMQ reconnects) go here.
  readonly #onError: ErrorSink;

  constructor(id: RunnerId, kind: BullmqBackendKind, queueName: string, concurrency: number, tuning: BullmqTuning, args: BackendArgs, limits: SubmitLimits, onError: ErrorSink) {
    this.id = id;
    this.#onError = onError;
    this.#queueName = queueName;
    this.#concurrency = concurrency;
    this.#tuning = tuning;
    this.#order = new AcceptedFirst(this.#events, tuning.consume);
    this.#args = args;
    const keep = keepFinished(kind);
    this.#queue = makeQueue(queueName, args, { defaultJobOptions: { removeOnComplete: keep, removeOnFail: keep } });
    this.#queue.on('error', (error: Error) => this.#onError(error));
    this.#batcher = kind === 'postgres' ? new AddBatcher(this.#queue) : undefined;
    this.#bounds = new SubmitBounds(id, kind, limits);
    this.#results = new ResultWaiters(this.#queue, queueName, args, onError);
  }

  async start(): Promise<this> {
    try {
      await this.#queue.waitUntilReady();
      if (this.#tuning.consume) await this.#startWorker();
    } catch (error) {
      await this.#worker?.close(true).catch(() => undefined);
      await this.#queue.close().catch(() => undefined);
      throw new ServiceUnavailableError(this.id === 'bullmq-redis' ? 'redis' : 'postgres', `Runner \`${this.id}\` could not reach its store: ${toError(error).message}`, 'check the URL and that the server is running', { cause: error });
    }
    return this;
  }

  async #startWorker(): Promise<void> {
    const t = this.#tuning;
    const worker = makeWorker(this.#queueName, (job) => this.#process(job), this.#args, {
      concurrency: this.#concurrency,
      // How long BullMQ waits before running a store write again after a lost connection
      // (backend.ts): its default, 15 s, is past the job's lock (30 s by default, often less),
      // so a completion retried that late finds its job already handed to another worker.
      runRetryDelay: Math.min(1_000, Math.floor((t.lockDuration ?? 30_000) / 4)),
      ...(t.lockDuration === undefined ? {} : { lockDuration: t.lockDuration }),
      ...(t.stalledInterval === undefined ? {} : { stalledInterval: t.stalledInterval }),
      ...(t.maxStalledCount === undefined ? {} : { maxStalledCount: t.maxStalledCount }),
      ...(t.drainDelay === undefined ? {} : { drainDelay: t.drainDelay }),
    });
    this.#worker = worker;
    worker.on('error', (error: Error) => this.#onError(error));
    // BullMQ has counted the attempt (attemptsMade) by the time it reports its outcome.
    worker.on('completed', (job: Job, value: unknown) => {
      const id = job.id ?? '';
      const attempt = job.attemptsMade;
      if (this.#stopping) this.#finishedDuringStop++;
      this.#order.emit('completed', id, job.name, attempt);
      this.#results.settle(id, (w) => w.resolve((value ?? null) as Json));
    });
    worker.on('failed', (job: Job | undefined, error: Error) => {
      if (job === undefined) return;
      const id = job.id ?? '';
      const attempt = job.attemptsMade;
      // BullMQ sets finishedOn only when the failure is final (no retry left, or unrecoverable).
      const final = typeof job.finishedOn === 'number';
      this.#order.emit(final ? 'failed' : 'retrying', id, job.name, attempt, error);
      if (!final) return;
      if (this.#stopping) this.#finishedDuringStop++;
      this.#results.settle(id, (w) => w.reject(new JobFailedError(job.name, id, attempt, error)));
    });
    await worker.waitUntilReady();
  }

  async #process(job: Job): Promise<Json> {
    const id = job.id ?? '';
    this.#order.emit('started', id, job.name, job.attemptsMade + 1);
    const run = Attempt.of(job);
    this.#running.set(id, run);
    try {
      return await run.run();
    } finally {
      this.#running.delete(id);
    }
  }

  get inFlight(): number {
    return this.#running.size;
  }

  onEvent(listener: LifecycleListener): () => void {
    return this.#events.on(listener);
  }

  async submit(job: string, data: Json, options?: SubmitOptions): Promise<Ticket> {
    if (this.#stopping) throw new RunnerStoppedError(this.id);
    const name = validateJob(job, data);
    checkSubmitOptions(this.id, this.traits, options);
    const o = options ?? {};
    const opts: KitJobsOptions = {
      ...(o.id === undefined ? {} : { jobId: o.id }),
      ...(o.attempts === undefined ? {} : { attempts: o.attempts }),
      ...(o.backoff === undefined ? {} : { backoff: { type: o.backoff.type, delay: o.backoff.delayMs } }),
      ...(o.delayMs === undefined ? {} : { delay: o.delayMs }),
      ...(o.priority === undefined ? {} : { priority: o.priority }),
      ...(o.timeoutMs === undefined ? {} : { timeoutMs: o.timeoutMs }),
    };
    const batcher = this.#batcher;
    const store = batcher === undefined ? () => this.#queue.add(name, data, opts) : () => batcher.add(name, data, opts);
    // `accepted` is emitted when the write answers, even past the submit deadline: the job is stored.
    const added = await this.#bounds.run(() => this.#order.add(name, store));
    const id = added.id ?? '';
    // bind, not an arrow property: under tsx an arrow property is named with an
    // Object.defineProperty per job (per-job-closures.test.ts).
    return { id, job: name, result: this.#result.bind(this, id, name) };
  }

  async #result(id: string, job: string, options: ResultOptions | undefined): Promise<Json> {
    const timeoutMs = resultTimeout(options);
    if (this.#stopped) throw new RunnerStoppedError(this.id);
    return this.#results.wait(id, job, timeoutMs, this.#worker === undefined);
  }

  readonly stop = stopOnce((drain, timeoutMs) => this.#stop(drain, timeoutMs));

  async #stop(drain: boolean, timeoutMs: number): Promise<StopReport> {
    this.#stopping = true;
    let abandoned = 0;
    const worker = this.#worker;
    let closed = worker === undefined;
    if (worker !== undefined && drain) {
      // close() stops fetching and waits for in-flight jobs, with no deadline of its own.
      await until(worker.close().then(() => (closed = true)), timeoutMs);
    }
    // What follows talks to the store, which may not answer (BullMQ waits for it forever):
    // it gets one more timeoutMs, all steps together, then stop() gives up on it.
    const end = performance.now() + timeoutMs;
    const left = (): number => Math.max(0, end - performance.now());
    if (!closed && worker !== undefined) {
      // Abandoned jobs stay `active` in the store: stalled-job recovery hands them to the next worker.
      abandoned = this.#running.size;
      for (const running of this.#running.values()) running.abort(new Error('runner stopped'));
      await until(worker.close(true).then(() => (closed = true), (error: unknown) => this.#onError(error)), left());
    }
    let counts: Record<string, number> | undefined;
    await until(this.#queue.getJobCounts('waiting', 'delayed', 'prioritized', 'waiting-children', 'active').then((c) => (counts = c), (error: unknown) => this.#onError(error)), left());
    const stored = counts === undefined ? 0 : (counts.waiting ?? 0) + (counts.delayed ?? 0) + (counts.prioritized ?? 0) + (counts['waiting-children'] ?? 0);
    if (counts !== undefined && this.#tuning.cleanup && stored === 0 && (counts.active ?? 0) === 0) {
      // Nothing left for a later runner: remove every key / row this queue made.
      await until(this.#queue.obliterate({ force: true }).catch((error: unknown) => this.#onError(error)), left());
    }
    this.#stopped = true;
    this.#order.flush();
    this.#results.settleAll((w) => w.reject(new RunnerStoppedError(this.id)));
    let shut = false;
    await until(Promise.all([this.#results.close(), this.#queue.close()]).then(() => (shut = true), (error: unknown) => this.#onError(error)), left());
    if (!closed || !shut) {
      // A store that never answered leaves BullMQ's connections trying to reconnect for good,
      // which keeps the process alive after stop() returns: cut them.
      await until(Promise.allSettled([worker?.disconnect(), this.#queue.disconnect(), this.#results.disconnect()]), 1_000);
    }
    if (counts === undefined) {
      throw new ServiceUnavailableError(
        this.id === 'bullmq-redis' ? 'redis' : 'postgres',
        `Runner \`${this.id}\` stopped, but could not count the jobs it left stored: its store did not answer within ${timeoutMs} ms`,
        'jobs it had stored stay stored for the next runner; check that the store is running and reachable',
      );
    }
    return { finished: this.#finishedDuringStop, abandoned, stored };
  }
}
