// `ticket.result()` for the BullMQ runners: tickets waiting for a job, settled from this
// process's Worker events when it runs the job, from QueueEvents when another process does,
// and from a poll of the store as a safety net (QueueEvents starts reading a moment after it
// reports ready, so an event in that gap is missed).

import { Job, type Queue, type QueueEvents } from 'bullmq';
import type { Json } from '../../contract.ts';
import { JobFailedError, TimeoutError, toError } from '../../errors.ts';
import type { ErrorSink } from '../support.ts';
import { makeQueueEvents, type BackendArgs } from './backend.ts';

export interface Waiter {
  resolve(value: Json): void;
  reject(error: Error): void;
}

/** One ticket's wait: what its store checks need. */
interface Watch {
  readonly id: string;
  readonly job: string;
  readonly waiter: Waiter;
  done: boolean;
  poll: NodeJS.Timeout | undefined;
}

export class ResultWaiters {
  readonly #queue: Queue;
  readonly #queueName: string;
  readonly #args: BackendArgs;
  readonly #onError: ErrorSink;
  // Tickets waiting for a result, by BullMQ job id.
  readonly #waiters = new Map<string, Set<Waiter>>();
  // Opened only when a ticket waits for a job this process does not run.
  #queueEvents: Promise<QueueEvents> | undefined;

  constructor(queue: Queue, queueName: string, args: BackendArgs, onError: ErrorSink) {
    this.#queue = queue;
    this.#queueName = queueName;
    this.#args = args;
    this.#onError = onError;
  }

  /** Settles every ticket waiting for job `id`. */
  settle(id: string, how: (waiter: Waiter) => void): void {
    const waiters = this.#waiters.get(id);
    if (waiters === undefined) return;
    this.#waiters.delete(id);
    for (const waiter of waiters) how(waiter);
  }

  /** Settles every waiting ticket, whatever its job. */
  settleAll(how: (waiter: Waiter) => void): void {
    for (const id of [...this.#waiters.keys()]) this.settle(id, how);
  }

  /** Waits up to `timeoutMs` for job `id`; `remote` when no Worker in this process runs it. */
  async wait(id: string, job: string, timeoutMs: number, remote: boolean): Promise<Json> {
    let waiter!: Waiter;
    const settled = new Promise<Json>((resolve, reject) => (waiter = { resolve, reject }));
    // Registered before the state check, so a job finishing in between is not missed.
    const set = this.#waiters.get(id) ?? new Set<Waiter>();
    set.add(waiter);
    this.#waiters.set(id, set);
    // Armed first: the store is asked below, and a store that does not answer must not hold
    // the wait past its deadline.
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new TimeoutError(`result of job \`${job}\` (${id})`, timeoutMs)), timeoutMs);
    });
    // Its state lives in one object and the steps are methods: a named closure per wait costs an
    // Object.defineProperty under tsx (per-job-closures.test.ts).
    const watch: Watch = { id, job, waiter, done: false, poll: undefined };
    void settled.then(() => (watch.done = true), () => (watch.done = true));
    this.#watch(watch, remote).catch((error: unknown) => waiter.reject(toError(error)));
    try {
      return await Promise.race([settled, timeout]);
    } finally {
      clearTimeout(timer);
      clearTimeout(watch.poll);
      watch.done = true;
      set.delete(waiter);
      if (set.size === 0 && this.#waiters.get(id) === set) this.#waiters.delete(id);
    }
  }

  // Looks now, again after 1 s, then every 5 s, until the job settles.
  async #watch(watch: Watch, remote: boolean): Promise<void> {
    if (remote) await this.#openQueueEvents();
    await this.#check(watch);
    if (!watch.done) this.#schedule(watch, 1_000);
  }

  #schedule(watch: Watch, ms: number): void {
    watch.poll = setTimeout(() => void this.#check(watch).finally(() => watch.done || this.#schedule(watch, 5_000)), ms);
    watch.poll.unref();
  }

  // One cheap state query; the job itself is read only when it has already finished.
  async #check(watch: Watch): Promise<void> {
    const state = await this.#queue.getJobState(watch.id).catch(() => 'unknown');
    if (watch.done || (state !== 'completed' && state !== 'failed')) return;
    const stored = await Job.fromId(this.#queue, watch.id).catch(() => undefined);
    if (stored === undefined) return;
    if (state === 'completed') watch.waiter.resolve(parseReturn(stored.returnvalue));
    else watch.waiter.reject(new JobFailedError(watch.job, watch.id, stored.attemptsMade, new Error(stored.failedReason)));
  }

  /** Closes the QueueEvents connection, if one was opened. */
  async close(): Promise<void> {
    const events = this.#queueEvents;
    if (events !== undefined) await (await events).close();
  }

  /** Cuts the QueueEvents connection, if one was opened, without waiting for the store. */
  async disconnect(): Promise<void> {
    const events = this.#queueEvents;
    if (events !== undefined) await (await events).disconnect();
  }

  #openQueueEvents(): Promise<QueueEvents> {
    this.#queueEvents ??= (async () => {
      const events = makeQueueEvents(this.#queueName, this.#args);
      events.on('error', (error: Error) => this.#onError(error));
      events.on('completed', ({ jobId, returnvalue }: { jobId: string; returnvalue: unknown }) => {
        this.settle(jobId, (w) => w.resolve(parseReturn(returnvalue)));
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
    this.settle(jobId, (w) => w.reject(new JobFailedError(job.name, jobId, job.attemptsMade, new Error(reason))));
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
