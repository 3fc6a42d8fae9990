// The BullMQ core shared by `bullmq-redis` and `bullmq-postgres`: one Queue to submit, one
// Worker to run catalogue jobs in this process (unless `tuning.consume` is false), and a
// QueueEvents opened only when a ticket waits for a job that another process runs.
//
// How it works:
// - submit() validates the job, then `queue.add(job, { data, timeoutMs })`; it resolves once
//   BullMQ has stored the job (Redis or PostgreSQL), so an accepted job outlives this runner.
//   On PostgreSQL, submits made in one turn of the event loop are stored with one addBulk (one
//   transaction): that makes the kit about 2.5× faster than raw BullMQ called with one add()
//   per job, and within about 6% of raw addBulk (same 256 submits in flight). On Redis each
//   submit is its own add(), which measured faster than coalescing there (see #add).
// - Finished jobs are kept per `keepFinished` (below): by count on Redis, by age on
//   PostgreSQL, where trimming by count reads every kept row on every finished job.
// - The Worker's processor runs the job through the catalogue with `attempt = attemptsMade + 1`
//   and an AbortSignal. BullMQ has no job timeout of its own, so `timeoutMs` is ours: the signal
//   fires, and the attempt fails even if the job ignores the signal (it is raced).
// - Lifecycle events come from the Worker's `active` / `completed` / `failed` events;
//   a failed attempt that BullMQ will retry is `retrying`, the last one is `failed`.
// - stop({ drain }) closes the Worker (drain: let in-flight jobs finish, up to timeoutMs, then
//   force). Waiting and delayed jobs stay stored for the next runner over the same store.
//   When nothing is left stored the queue is obliterated, so a run leaves no keys or rows.
//
// Tuning (`options.tuning`, each validated):
//   consume          boolean, default true. false = submit only; another runner or a worker
//                    process (`need-a-queue worker`) runs the jobs. Conformance uses this to
//                    prove durability: submit to one instance, complete on a fresh one.
//   lockDuration, stalledInterval, maxStalledCount, drainDelay   passed to the BullMQ Worker (ms).
//   prefix (redis) / schema (postgres)   namespace; defaults `need-a-queue` / `need_a_queue`,
//                    never BullMQ's own defaults, so a user's other queues are not touched.
//   cleanup          boolean, default true: obliterate the queue on stop when nothing is stored.

import { randomUUID } from 'node:crypto';
import { Job, Queue, QueueEvents, Worker, createPostgresBackend, runMigrations, type ConnectionOptions, type JobsOptions } from 'bullmq';
import pg from 'pg';
import { MAX_TIMER_MS, defaults } from '../../contract.ts';
import type { Json, LifecycleListener, ResultOptions, Runner, RunnerId, RunnerOptions, StopReport, SubmitOptions, Ticket } from '../../contract.ts';
import { InvalidOptionError, JobFailedError, QueueFullError, RunnerStoppedError, ServiceUnavailableError, TimeoutError, UnsupportedOptionError } from '../../errors.ts';
import { runJob, validateJob } from '../../jobs/catalogue.ts';
import { deadlines } from '../../otp/deadlines.ts';
import { EventHub, checkRunnerOptions, checkSubmitOptions, concurrencyOption, duration, errorSink, positiveInteger, resultTimeout, stopOnce, toError, until, type ErrorSink } from '../support.ts';
import { postgresDescriptor, redisDescriptor } from './descriptor.ts';

export type BullmqBackendKind = 'redis' | 'postgres';

/** What the Queue stores as job data: the catalogue data plus our own per-job timeout. */
export interface Envelope {
  readonly data: Json;
  readonly timeoutMs?: number;
}

export interface BullmqTuning {
  readonly consume: boolean;
  readonly lockDuration?: number;
  readonly stalledInterval?: number;
  readonly maxStalledCount?: number;
  readonly drainDelay?: number;
  readonly namespace: string;
  readonly cleanup: boolean;
}

/** BullMQ's `removeOnComplete` / `removeOnFail` shape, as far as the kit uses it. */
export interface KeepJobs {
  readonly count?: number;
  readonly age?: number;
}

/**
 * How many finished jobs stay stored: enough for result() to read a job another process ran,
 * without Redis or PostgreSQL growing without bound. The bound differs per backend because
 * trimming does:
 * - Redis: the last 10 000. Trimming by count costs one ZREVRANGE and one job removal per
 *   finished job once the cap is reached, and keeps Redis memory bounded.
 * - PostgreSQL: the last 10 minutes. BullMQ's PostgreSQL backend trims by count with
 *   `DELETE … WHERE id NOT IN (SELECT … ORDER BY finished_at_ms DESC LIMIT count)` inside
 *   every finishing transaction, which reads every retained row: measured (EXPLAIN ANALYZE,
 *   PostgreSQL 17) 6 ms per finished job with 1 000 retained, 51 ms with 10 000. That alone
 *   held the runner near 80 jobs/s. Trimming by age is a range delete on BullMQ's
 *   (queue, state, finished_at_ms) index: 0.04 ms. Rows are disk, not memory, so a time bound
 *   is enough.
 */
export function keepFinished(kind: BullmqBackendKind): KeepJobs {
  return kind === 'redis' ? { count: 10_000 } : { age: 600 };
}

/** A tuning integer; BullMQ sets timers from these, so none may pass MAX_TIMER_MS. */
function tuningNumber(tuning: Readonly<Record<string, Json>>, name: string, min: number): number | undefined {
  const value = tuning[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > MAX_TIMER_MS) {
    throw new InvalidOptionError(`tuning.${name}`, `an integer from ${min} to ${MAX_TIMER_MS}`, value);
  }
  return value;
}

function tuningBoolean(tuning: Readonly<Record<string, Json>>, name: string, fallback: boolean): boolean {
  const value = tuning[name];
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new InvalidOptionError(`tuning.${name}`, 'true or false', value);
  return value;
}

const NAMESPACE = /^[a-z_][a-z0-9_-]{0,40}$/;

export function descriptorFor(kind: BullmqBackendKind): typeof redisDescriptor | typeof postgresDescriptor {
  return kind === 'redis' ? redisDescriptor : postgresDescriptor;
}

export function parseTuning(kind: BullmqBackendKind, tuning: Readonly<Record<string, Json>> = {}): BullmqTuning {
  const descriptor = descriptorFor(kind);
  const nsName = kind === 'redis' ? 'prefix' : 'schema';
  for (const name of Object.keys(tuning)) {
    if (!descriptor.tuning.includes(name)) throw new UnsupportedOptionError(descriptor.id, `tuning.${name}`, descriptor.tuning.map((k) => `tuning.${k}`));
  }
  const namespace = tuning[nsName] ?? (kind === 'redis' ? 'need-a-queue' : 'need_a_queue');
  // PostgreSQL schemas are quoted identifiers; keep both to a safe, portable alphabet.
  if (typeof namespace !== 'string' || !NAMESPACE.test(namespace) || (kind === 'postgres' && namespace.includes('-'))) {
    throw new InvalidOptionError(`tuning.${nsName}`, kind === 'redis' ? 'a short name of a-z, 0-9, _ and -' : 'a short name of a-z, 0-9 and _', namespace);
  }
  const parsed: BullmqTuning = {
    consume: tuningBoolean(tuning, 'consume', true),
    lockDuration: tuningNumber(tuning, 'lockDuration', 100),
    stalledInterval: tuningNumber(tuning, 'stalledInterval', 50),
    maxStalledCount: tuningNumber(tuning, 'maxStalledCount', 0),
    drainDelay: tuningNumber(tuning, 'drainDelay', 1),
    namespace,
    cleanup: tuningBoolean(tuning, 'cleanup', true),
  };
  return parsed;
}

/** ioredis options from a redis:// URL; BullMQ then owns (and closes) its connections. */
export function redisConnection(url: string): ConnectionOptions {
  const u = new URL(url);
  const db = u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0;
  return {
    host: u.hostname,
    port: u.port === '' ? 6379 : Number(u.port),
    ...(u.username === '' ? {} : { username: decodeURIComponent(u.username) }),
    ...(u.password === '' ? {} : { password: decodeURIComponent(u.password) }),
    db,
    // BullMQ requires it for Workers: a blocking command must not fail after N retries.
    maxRetriesPerRequest: null,
  };
}

/** The kit migrates explicitly: BullMQ 6 no longer migrates a schema on its own. */
export async function migratePostgres(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await runMigrations(client, schema);
  } finally {
    await client.end();
  }
}

/** The arguments every BullMQ class takes for this backend (`opts` extras plus factory). */
export interface BackendArgs {
  readonly connection: ConnectionOptions;
  readonly prefix?: string;
  readonly factory?: typeof createPostgresBackend;
}

export function backendArgs(kind: BullmqBackendKind, url: string, namespace: string): BackendArgs {
  if (kind === 'redis') return { connection: redisConnection(url), prefix: namespace };
  // A config object (not a bare string) is the only form that carries `schema`.
  return { connection: { connectionString: url, schema: namespace }, factory: createPostgresBackend };
}

// BullMQ's overloads (backend factory or not) do not narrow through a union; these helpers
// keep the casts in one place.
type AnyCtor<T> = new (...args: unknown[]) => T;
export function makeQueue(name: string, args: BackendArgs, extra: object = {}): Queue {
  const opts = { connection: args.connection, ...(args.prefix === undefined ? {} : { prefix: args.prefix }), ...extra };
  return new (Queue as unknown as AnyCtor<Queue>)(name, opts, args.factory);
}
export function makeWorker(name: string, processor: (job: Job) => Promise<unknown>, args: BackendArgs, extra: object): Worker {
  const opts = { connection: args.connection, ...(args.prefix === undefined ? {} : { prefix: args.prefix }), ...extra };
  return new (Worker as unknown as AnyCtor<Worker>)(name, processor, opts, args.factory);
}
export function makeQueueEvents(name: string, args: BackendArgs): QueueEvents {
  const opts = { connection: args.connection, ...(args.prefix === undefined ? {} : { prefix: args.prefix }) };
  return new (QueueEvents as unknown as AnyCtor<QueueEvents>)(name, opts, args.factory);
}

const MAX_BATCH = 1000;

interface PendingAdd {
  readonly name: string;
  readonly data: Envelope;
  readonly opts: JobsOptions;
  resolve(job: Job): void;
  reject(error: Error): void;
}

/** How long a submit may wait for the store, and how many may wait at once. */
interface SubmitLimits {
  readonly timeoutMs: number;
  readonly maxPending: number;
}

interface Running {
  readonly attempt: number;
  readonly abort: (reason: Error) => void;
}

interface Waiter {
  resolve(value: Json): void;
  reject(error: Error): void;
}

export async function createBullmqRunner(id: RunnerId, kind: BullmqBackendKind, options: RunnerOptions): Promise<Runner> {
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
  const concurrency = concurrencyOption(options.concurrency, 10);
  const queueName = options.queue ?? `need-a-queue-${randomUUID().slice(0, 8)}`;
  if (typeof queueName !== 'string' || !/^[A-Za-z0-9_.-]{1,100}$/.test(queueName)) throw new InvalidOptionError('queue', 'a name of letters, digits, _ . -', queueName);
  const tuning = parseTuning(kind, options.tuning);
  if (kind === 'postgres') await migratePostgres(url, tuning.namespace);
  const args = backendArgs(kind, url, tuning.namespace);
  const limits: SubmitLimits = {
    timeoutMs: options.submitTimeoutMs === undefined ? defaults.submitTimeoutMs : duration('submitTimeoutMs', options.submitTimeoutMs, 1),
    maxPending: positiveInteger('maxPendingSubmits', options.maxPendingSubmits, defaults.maxPendingSubmits),
  };
  return new BullmqRunner(id, kind, queueName, concurrency, tuning, args, limits, errorSink(id, options.onError)).start();
}

class BullmqRunner implements Runner {
  readonly id: RunnerId;
  readonly traits = redisDescriptor.traits;
  readonly #events = new EventHub();
  readonly #queue: Queue;
  readonly #queueName: string;
  readonly #args: BackendArgs;
  readonly #tuning: BullmqTuning;
  readonly #concurrency: number;
  // Whether submits are coalesced into addBulk (see #add).
  readonly #coalesce: boolean;
  #worker: Worker | undefined;
  // Opened only when a ticket waits for a job this process does not run.
  #queueEvents: Promise<QueueEvents> | undefined;
  // Tickets waiting for a result, by BullMQ job id; settled from local Worker events first.
  readonly #waiters = new Map<string, Set<Waiter>>();
  // Attempt number and abort function of each job running here.
  readonly #running = new Map<string, Running>();
  // Submits waiting for the next addBulk (see #add).
  readonly #batch: PendingAdd[] = [];
  #stopping = false;
  #stopped = false;
  #finishedDuringStop = 0;
  // Background errors (a lost connection while the store restarts: BullMQ reconnects) go here.
  readonly #onError: ErrorSink;
  readonly #limits: SubmitLimits;
  // Submits whose store write has not settled, deadline or not: bounded by #limits.maxPending.
  #pendingSubmits = 0;

  constructor(id: RunnerId, kind: BullmqBackendKind, queueName: string, concurrency: number, tuning: BullmqTuning, args: BackendArgs, limits: SubmitLimits, onError: ErrorSink) {
    this.id = id;
    this.#onError = onError;
    this.#limits = limits;
    this.#queueName = queueName;
    this.#concurrency = concurrency;
    this.#coalesce = kind === 'postgres';
    this.#tuning = tuning;
    this.#args = args;
    const keep = keepFinished(kind);
    this.#queue = makeQueue(queueName, args, { defaultJobOptions: { removeOnComplete: keep, removeOnFail: keep } });
    this.#queue.on('error', (error: Error) => this.#onError(error));
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
      ...(t.lockDuration === undefined ? {} : { lockDuration: t.lockDuration }),
      ...(t.stalledInterval === undefined ? {} : { stalledInterval: t.stalledInterval }),
      ...(t.maxStalledCount === undefined ? {} : { maxStalledCount: t.maxStalledCount }),
      ...(t.drainDelay === undefined ? {} : { drainDelay: t.drainDelay }),
    });
    this.#worker = worker;
    worker.on('error', (error: Error) => this.#onError(error));
    worker.on('completed', (job: Job, value: unknown) => {
      const id = job.id ?? '';
      const attempt = this.#running.get(id)?.attempt ?? job.attemptsMade;
      this.#running.delete(id);
      if (this.#stopping) this.#finishedDuringStop++;
      this.#events.emit('completed', id, job.name, attempt);
      this.#settle(id, (w) => w.resolve((value ?? null) as Json));
    });
    worker.on('failed', (job: Job | undefined, error: Error) => {
      if (job === undefined) return;
      const id = job.id ?? '';
      const attempt = this.#running.get(id)?.attempt ?? job.attemptsMade;
      this.#running.delete(id);
      // BullMQ sets finishedOn only when the failure is final (no retry left, or unrecoverable).
      const final = typeof job.finishedOn === 'number';
      this.#events.emit(final ? 'failed' : 'retrying', id, job.name, attempt, error);
      if (!final) return;
      if (this.#stopping) this.#finishedDuringStop++;
      this.#settle(id, (w) => w.reject(new JobFailedError(job.name, id, attempt, error)));
    });
    await worker.waitUntilReady();
  }

  async #process(job: Job): Promise<Json> {
    const id = job.id ?? '';
    const attempt = job.attemptsMade + 1;
    // The AbortController is made only if the job asks for its signal: creating one costs
    // about 2% of a noop job's CPU, and a job that never read the signal cannot react to it.
    // An abort that comes first is kept, so a signal asked for later is born aborted.
    let controller: AbortController | undefined;
    let aborted: Error | undefined;
    const abort = (reason: Error): void => {
      aborted ??= reason;
      controller?.abort(reason);
    };
    this.#running.set(id, { attempt, abort });
    this.#events.emit('started', id, job.name, attempt);
    const envelope = job.data as Envelope;
    let timer: NodeJS.Timeout | undefined;
    const work = runJob(job.name, envelope.data, {
      attempt,
      get signal() {
        if (controller === undefined) {
          controller = new AbortController();
          if (aborted !== undefined) controller.abort(aborted);
        }
        return controller.signal;
      },
    });
    try {
      let value: Json;
      if (envelope.timeoutMs === undefined) {
        value = await work;
      } else {
        const limit = envelope.timeoutMs;
        // Raced, not just signalled: a job that ignores its signal still loses the attempt.
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            const error = new TimeoutError(`job \`${job.name}\` (${id})`, limit, 'raise timeoutMs, or make the job faster');
            abort(error);
            reject(error);
          }, limit);
        });
        value = await Promise.race([work, timeout]);
      }
      return value;
    } finally {
      if (timer !== undefined) clearTimeout(timer);
      work.catch(() => undefined);
    }
  }

  #settle(id: string, how: (waiter: Waiter) => void): void {
    const waiters = this.#waiters.get(id);
    if (waiters === undefined) return;
    this.#waiters.delete(id);
    for (const waiter of waiters) how(waiter);
  }

  #openQueueEvents(): Promise<QueueEvents> {
    this.#queueEvents ??= (async () => {
      const events = makeQueueEvents(this.#queueName, this.#args);
      events.on('error', (error: Error) => this.#onError(error));
      events.on('completed', ({ jobId, returnvalue }: { jobId: string; returnvalue: unknown }) => {
        this.#settle(jobId, (w) => w.resolve(parseReturn(returnvalue)));
      });
      events.on('failed', ({ jobId, failedReason }: { jobId: string; failedReason: string }) => {
        void this.#settleRemoteFailure(jobId, failedReason);
      });
      await events.waitUntilReady();
      return events;
    })();
    return this.#queueEvents;
  }

  async #settleRemoteFailure(jobId: string, reason: string): Promise<void> {
    // QueueEvents `failed` fires per attempt; only a job in the failed state is finished.
    const job = await Job.fromId(this.#queue, jobId).catch(() => undefined);
    if (job === undefined || (await job.getState().catch(() => 'unknown')) !== 'failed') return;
    this.#settle(jobId, (w) => w.reject(new JobFailedError(job.name, jobId, job.attemptsMade, new Error(reason))));
  }

  onEvent(listener: LifecycleListener): () => void {
    return this.#events.on(listener);
  }

  async submit(job: string, data: Json, options?: SubmitOptions): Promise<Ticket> {
    if (this.#stopping) throw new RunnerStoppedError(this.id);
    const name = validateJob(job, data);
    checkSubmitOptions(this.id, this.traits, options);
    const o = options ?? {};
    const envelope: Envelope = o.timeoutMs === undefined ? { data } : { data, timeoutMs: o.timeoutMs };
    const opts: JobsOptions = {
      ...(o.id === undefined ? {} : { jobId: o.id }),
      ...(o.attempts === undefined ? {} : { attempts: o.attempts }),
      ...(o.backoff === undefined ? {} : { backoff: { type: o.backoff.type, delay: o.backoff.delayMs } }),
      ...(o.delayMs === undefined ? {} : { delay: o.delayMs }),
      ...(o.priority === undefined ? {} : { priority: o.priority }),
    };
    const added = await this.#store(this.#coalesce ? () => this.#add(name, envelope, opts) : () => this.#queue.add(name, envelope, opts));
    const id = added.id ?? '';
    this.#events.emit('accepted', id, name, 1);
    return { id, job: name, result: (r) => this.#result(id, name, r) };
  }

  /**
   * Runs one store write for submit() within the contract's bounds: at most `maxPending` at
   * once (QueueFullError past it, at once), and an answer within `timeoutMs`
   * (ServiceUnavailableError; the write goes on, and the job may yet be stored). A store that
   * hangs would otherwise hold every submit, and its job in memory, for as long as it hangs.
   */
  #store(write: () => Promise<Job>): Promise<Job> {
    const { timeoutMs, maxPending } = this.#limits;
    const service = this.id === 'bullmq-redis' ? 'redis' : 'postgres';
    if (this.#pendingSubmits >= maxPending) {
      return Promise.reject(new QueueFullError(`submits waiting for ${service === 'redis' ? 'Redis' : 'PostgreSQL'}`, maxPending, 'the store is slow or unreachable: check it, slow the producer down, or raise maxPendingSubmits'));
    }
    this.#pendingSubmits++;
    const written = write().finally(() => this.#pendingSubmits--);
    return new Promise<Job>((resolve, reject) => {
      const deadline = deadlines.add(timeoutMs, () => {
        reject(new ServiceUnavailableError(service, `Runner \`${this.id}\` could not store the job within ${timeoutMs} ms: its store is not answering`, 'check that the store is running and reachable; the job may still be stored once it answers, so retry with the same `id` to run it once'));
      });
      written.then(
        (job) => {
          deadlines.remove(deadline);
          resolve(job);
        },
        (error: unknown) => {
          deadlines.remove(deadline);
          reject(toError(error));
        },
      );
    });
  }

  // PostgreSQL only: submits made in the same turn of the event loop go to the store as one
  // addBulk, one transaction (one WAL flush) instead of one per job. Each submit still resolves
  // only once its job is stored. On Redis, add() per job is faster: with 256 submits in flight,
  // coalescing them into addBulk pipelines cost 10–15% of noop throughput (measured
  // interleaved against raw BullMQ: 0.78–0.83× with, 0.89–0.95× without).
  #add(name: string, data: Envelope, opts: JobsOptions): Promise<Job> {
    return new Promise<Job>((resolve, reject) => {
      this.#batch.push({ name, data, opts, resolve, reject });
      if (this.#batch.length === 1) setImmediate(() => this.#flush());
    });
  }

  #flush(): void {
    while (this.#batch.length > 0) {
      const batch = this.#batch.splice(0, MAX_BATCH);
      const only = batch[0];
      const added = batch.length === 1 && only !== undefined ? this.#queue.add(only.name, only.data, only.opts).then((job) => [job]) : this.#queue.addBulk(batch.map(({ name, data, opts }) => ({ name, data, opts })));
      added.then(
        (jobs) => batch.forEach((entry, i) => { const job = jobs[i]; if (job === undefined) entry.reject(new Error('BullMQ stored fewer jobs than it was given')); else entry.resolve(job); }),
        (error: unknown) => batch.forEach((entry) => entry.reject(toError(error))),
      );
    }
  }

  async #result(id: string, job: string, options: ResultOptions | undefined): Promise<Json> {
    const timeoutMs = resultTimeout(options);
    if (this.#stopped) throw new RunnerStoppedError(this.id);
    let waiter!: Waiter;
    const settled = new Promise<Json>((resolve, reject) => (waiter = { resolve, reject }));
    // Registered before the state check, so a job finishing in between is not missed.
    const set = this.#waiters.get(id) ?? new Set<Waiter>();
    set.add(waiter);
    this.#waiters.set(id, set);
    if (this.#worker === undefined) await this.#openQueueEvents();
    let done = false;
    void settled.then(() => (done = true), () => (done = true));
    const check = async (): Promise<void> => {
      // One cheap state query; the job itself is read only when it has already finished.
      const state = await this.#queue.getJobState(id).catch(() => 'unknown');
      if (done || (state !== 'completed' && state !== 'failed')) return;
      const stored = await Job.fromId(this.#queue, id).catch(() => undefined);
      if (stored === undefined) return;
      if (state === 'completed') waiter.resolve(parseReturn(stored.returnvalue));
      else waiter.reject(new JobFailedError(job, id, stored.attemptsMade, new Error(stored.failedReason)));
    };
    await check();
    // Safety net: QueueEvents starts reading a moment after it reports ready, so an event in
    // that gap is missed. Look again after 1 s, then every 5 s, until the job settles.
    let poll: NodeJS.Timeout | undefined;
    const schedule = (ms: number): void => {
      poll = setTimeout(() => void check().finally(() => done || schedule(5_000)), ms);
      poll.unref();
    };
    if (!done) schedule(1_000);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new TimeoutError(`result of job \`${job}\` (${id})`, timeoutMs)), timeoutMs);
    });
    try {
      return await Promise.race([settled, timeout]);
    } finally {
      clearTimeout(timer);
      clearTimeout(poll);
      set.delete(waiter);
      if (set.size === 0 && this.#waiters.get(id) === set) this.#waiters.delete(id);
    }
  }

  readonly stop = stopOnce((drain, timeoutMs) => this.#stop(drain, timeoutMs));

  async #stop(drain: boolean, timeoutMs: number): Promise<StopReport> {
    this.#stopping = true;
    let abandoned = 0;
    const worker = this.#worker;
    if (worker !== undefined) {
      let closed = false;
      if (drain) {
        // close() stops fetching and waits for in-flight jobs, with no deadline of its own.
        await until(worker.close().then(() => (closed = true)), timeoutMs);
      }
      if (!closed) {
        // Abandoned jobs stay `active` in the store: stalled-job recovery hands them to the next worker.
        abandoned = this.#running.size;
        for (const running of this.#running.values()) running.abort(new Error('runner stopped'));
        await worker.close(true);
      }
    }
    const counts = await this.#queue.getJobCounts('waiting', 'delayed', 'prioritized', 'waiting-children', 'active');
    const stored = (counts.waiting ?? 0) + (counts.delayed ?? 0) + (counts.prioritized ?? 0) + (counts['waiting-children'] ?? 0);
    if (this.#tuning.cleanup && stored === 0 && (counts.active ?? 0) === 0) {
      // Nothing left for a later runner: remove every key / row this queue made.
      await this.#queue.obliterate({ force: true }).catch((error: unknown) => this.#onError(error));
    }
    this.#stopped = true;
    for (const id of [...this.#waiters.keys()]) this.#settle(id, (w) => w.reject(new RunnerStoppedError(this.id)));
    const events = this.#queueEvents;
    if (events !== undefined) await (await events).close();
    await this.#queue.close();
    return { finished: this.#finishedDuringStop, abandoned, stored };
  }
}

function parseReturn(value: unknown): Json {
  // QueueEvents delivers return values as JSON text on Redis; a stored job has them parsed.
  if (typeof value === 'string') {
    try {
      return JSON.parse(value) as Json;
    } catch {
      return value;
    }
  }
  return (value ?? null) as Json;
}
