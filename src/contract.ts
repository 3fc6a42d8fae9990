// The contract every runner implements: types, and the defaults and limits they document
// (`@default`), written once here and read by every runner. This file imports nothing of
// ours but the list of runner ids (derived from the runners' descriptors in
// src/runners/registry.ts), so a reader can learn the whole interface here, and every
// runner can be checked against it.
//
// Deliberately left out: queue introspection (counts, lists), flows, schedulers, and
// anything only one family of runners could honour. Options a runner cannot honour are
// refused with UnsupportedOptionError (src/errors.ts), never silently ignored.

import type { RunnerId } from './runners/registry.ts';

/** JSON in, JSON out: a job can run in another thread, process or machine by name. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** The runners the kit ships, one per descriptor. Raw baselines (`bullmq-raw-*`) live in bench/, not here. */
export type { RunnerId };

/**
 * The longest timer Node keeps: 2^31 − 1 ms, about 24.8 days. Node runs a longer one after
 * 1 ms, so a longer `timeoutMs` would fail the job at once; every duration is refused past it.
 */
export const MAX_TIMER_MS = 2_147_483_647;

/** The most jobs a runner runs at once: more only spends memory (a server or consumer each). */
export const MAX_CONCURRENCY = 10_000;

/** The most attempts a job may have. */
export const MAX_ATTEMPTS = 1000;

/** Defaults of the options below that every runner shares, written once. */
export const defaults = {
  /** `ticket.result()` waits this long, then rejects with TimeoutError (the job runs on). */
  resultTimeoutMs: 60_000,
  /** `stop({ drain: true })` waits this long for running jobs, then abandons them. */
  drainTimeoutMs: 30_000,
  /** A durable runner's submit() waits this long for its store. */
  submitTimeoutMs: 10_000,
  /** A durable runner's submits waiting for its store at once. */
  maxPendingSubmits: 10_000,
  /**
   * An in-process runner's line (task, genserver, worker-pool): jobs accepted and waiting for a
   * slot. Past it submit() rejects with QueueFullError, so a producer faster than its jobs learns
   * it at once instead of filling the heap (a million queued `sleep` jobs ended the process
   * with a V8 heap OOM when the line had no bound).
   */
  maxQueue: 10_000,
} as const;

export interface Backoff {
  readonly type: 'fixed' | 'exponential';
  /** Base delay in milliseconds, at most MAX_TIMER_MS. */
  readonly delayMs: number;
}

/** Per-job options. Each runner lists the ones it honours in `traits.options`. */
export interface SubmitOptions {
  /** Idempotency key: submitting the same id twice runs the job once. */
  readonly id?: string;
  /** Total attempts including the first (1 = no retry), at most MAX_ATTEMPTS. @default 1 */
  readonly attempts?: number;
  readonly backoff?: Backoff;
  /** Milliseconds before the job may start, at most MAX_TIMER_MS. @default 0 */
  readonly delayMs?: number;
  /**
   * The job sees an AbortSignal that fires after this long, then the attempt fails. At most
   * MAX_TIMER_MS. @default no timeout
   */
  readonly timeoutMs?: number;
  /** Lower runs first, as in BullMQ (1 is the highest priority). */
  readonly priority?: number;
}

export type SubmitOptionName = keyof SubmitOptions;

export interface Ticket {
  /** The job id: the idempotency id when given, else one the runner made. */
  readonly id: string;
  readonly job: string;
  /**
   * Settles with the job's value, or rejects with JobFailedError whose `cause` is the job's
   * own error. A runner without results (`traits.result === false`) rejects at once with
   * ResultUnavailableError.
   */
  result(options?: ResultOptions): Promise<Json>;
}

export interface ResultOptions {
  /**
   * Give up waiting after this long (TimeoutError; the job runs on). At most MAX_TIMER_MS.
   * @default 60000 (defaults.resultTimeoutMs)
   */
  readonly timeoutMs?: number;
}

export type Delivery = 'at-most-once' | 'at-least-once';
export type Isolation = 'none' | 'thread' | 'process';
export type Scope = 'process' | 'machine' | 'cluster';

/** What a runner guarantees. Every trait is proved by the conformance suite. */
// #region traits
export interface RunnerTraits {
  /** An accepted job survives the runner (and its process) going away. */
  readonly durable: boolean;
  readonly delivery: Delivery;
  /** `ticket.result()` returns the job's value. */
  readonly result: boolean;
  /** Failed attempts are retried when `attempts > 1`. */
  readonly retries: boolean;
  /** What a crashing job takes down with it: `none` means the caller's process. */
  readonly isolation: Isolation;
  /** How far the work can spread: one process, one machine's processes, many machines. */
  readonly scope: Scope;
  /** The submit options this runner honours; any other is an UnsupportedOptionError. */
  readonly options: readonly SubmitOptionName[];
}
// #endregion traits

/** Options every runner understands; a runner refuses ones it cannot honour. */
export interface RunnerOptions {
  /** Jobs run at once, at most MAX_CONCURRENCY. @default per runner: its descriptor's `concurrency` */
  readonly concurrency?: number;
  /** Queue (or mailbox) name, so runs do not see each other's jobs. */
  readonly queue?: string;
  /** Where durable runners keep jobs. */
  readonly redisUrl?: string;
  readonly databaseUrl?: string;
  /**
   * In-process runners: accept no more than this many jobs waiting for a slot; past it submit
   * rejects with QueueFullError. Raise it for a deeper line (each waiting job costs about a
   * kilobyte of heap). genserver bounds each server's mailbox with it.
   * @default 10000 (defaults.maxQueue)
   */
  readonly maxQueue?: number;
  /** Runner-specific tuning (lock durations, pool sizes); each runner validates its own. */
  readonly tuning?: Readonly<Record<string, Json>>;
  /**
   * Durable runners: submit() rejects with ServiceUnavailableError when the store has not
   * taken the job within this long (the job may still be stored once the store answers).
   * At most MAX_TIMER_MS. @default 10000 (defaults.submitTimeoutMs)
   */
  readonly submitTimeoutMs?: number;
  /**
   * Durable runners: submits waiting for the store at once; past it submit() rejects at once
   * with QueueFullError, so a store that hangs cannot fill the heap. @default 10000 (defaults.maxPendingSubmits)
   */
  readonly maxPendingSubmits?: number;
  /**
   * Called with every error that has no caller to go to: a failed job of a runner without
   * results (`event` is its `failed` event), and background errors such as a lost store
   * connection (`event` is undefined). Never silently ignored: the default writes one line on
   * stderr per distinct error message, so an outage is a line, not a flood.
   */
  readonly onError?: (error: Error, event: LifecycleEvent | undefined) => void;
}

export type LifecycleType = 'accepted' | 'started' | 'completed' | 'failed' | 'retrying';

/**
 * One shape for every runner. `at` is wall-clock milliseconds with sub-millisecond
 * precision (performance.timeOrigin + performance.now()), comparable across processes.
 */
export interface LifecycleEvent {
  readonly type: LifecycleType;
  readonly jobId: string;
  readonly job: string;
  readonly at: number;
  /** 1 for the first attempt. */
  readonly attempt: number;
  /** On `failed` and `retrying`: the job's error message. */
  readonly error?: string;
}

export type LifecycleListener = (event: LifecycleEvent) => void;

export interface StopOptions {
  /** Let accepted jobs finish (true) or abandon what has not finished (false). @default true */
  readonly drain?: boolean;
  /**
   * Give up draining after this long; what is still running counts as abandoned. At most
   * MAX_TIMER_MS. A runner with a store then waits at most this long again for the store to
   * count and release what is left; past that, stop() rejects with ServiceUnavailableError
   * (the runner is stopped; what was stored stays stored). @default 30000 (defaults.drainTimeoutMs)
   */
  readonly timeoutMs?: number;
}

export interface StopReport {
  /** Jobs that finished (completed or failed) during the stop. */
  readonly finished: number;
  /** Jobs that were accepted and are now gone without finishing. */
  readonly abandoned: number;
  /** Jobs left in durable storage for a later runner. */
  readonly stored: number;
}

// #region runner
export interface Runner {
  readonly id: RunnerId;
  readonly traits: RunnerTraits;
  /** Resolves once the runner has accepted the job: in memory, or persisted when durable. */
  submit(job: string, data: Json, options?: SubmitOptions): Promise<Ticket>;
  /** Subscribe to lifecycle events; returns the unsubscribe function. */
  onEvent(listener: LifecycleListener): () => void;
  /** Stops once: a second call waits for the first and resolves with the same report. */
  stop(options?: StopOptions): Promise<StopReport>;
}
// #endregion runner

export type RunnerFactory = (options: RunnerOptions) => Promise<Runner>;

export type ServiceName = 'redis' | 'postgres';
export type RunnerOptionName = Exclude<keyof RunnerOptions, 'onError'>;

/**
 * What a runner is, known without starting it: `need-a-queue runners`, the conformance suite
 * and bench read this; only `load` brings in the runner's code (and BullMQ, pg, piscina).
 * Each runner folder has one; src/runners/registry.ts lists them.
 */
export interface RunnerDescriptor<Id extends string = string> {
  readonly id: Id;
  /** One line: what the runner is. */
  readonly summary: string;
  readonly traits: RunnerTraits;
  /** Services it needs a URL for; callers start only these. */
  readonly services: readonly ServiceName[];
  /** The RunnerOptions it accepts (onError always); any other is an UnsupportedOptionError. */
  readonly options: readonly RunnerOptionName[];
  /** The `tuning` keys it accepts; any other is an UnsupportedOptionError. */
  readonly tuning: readonly string[];
  /** Jobs it runs at once when RunnerOptions.concurrency is not given; absent if it takes no `concurrency`. */
  readonly concurrency?: number;
  readonly load: () => Promise<RunnerFactory>;
}
