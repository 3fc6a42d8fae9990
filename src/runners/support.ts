// Small pieces every runner needs, kept in one place so that each runner file holds only
// what makes it different: option checks, event fan-out, ids and timestamps.

import { randomUUID } from 'node:crypto';
import { MAX_ATTEMPTS, MAX_CONCURRENCY, MAX_TIMER_MS, defaults } from '../contract.ts';
import type { Json, LifecycleEvent, LifecycleListener, LifecycleType, ResultOptions, RunnerDescriptor, RunnerId, RunnerOptions, RunnerTraits, StopOptions, StopReport, SubmitOptions } from '../contract.ts';
import { InvalidOptionError, JobFailedError, ResultUnavailableError, TimeoutError, UnsupportedOptionError, toError } from '../errors.ts';

/** Wall-clock ms with sub-ms precision, comparable across processes on one machine. */
export function now(): number {
  return performance.timeOrigin + performance.now();
}

export function newJobId(): string {
  return randomUUID();
}

/** Refuses options the runner did not declare, and checks the values of the rest. */
export function checkSubmitOptions(runner: RunnerId, traits: RunnerTraits, options: SubmitOptions | undefined): void {
  if (options === undefined) return;
  for (const [name, value] of Object.entries(options)) {
    if (value === undefined) continue;
    if (!traits.options.includes(name as keyof SubmitOptions)) throw new UnsupportedOptionError(runner, name, traits.options);
  }
  const { id, attempts, delayMs, timeoutMs, priority, backoff } = options;
  if (id !== undefined && (typeof id !== 'string' || id.length === 0)) throw new InvalidOptionError('id', 'a non-empty string', id);
  if (attempts !== undefined && !isIntegerIn(attempts, 1, MAX_ATTEMPTS)) throw new InvalidOptionError('attempts', `an integer from 1 to ${MAX_ATTEMPTS}`, attempts);
  if (delayMs !== undefined) duration('delayMs', delayMs, 0);
  if (timeoutMs !== undefined) duration('timeoutMs', timeoutMs, 1);
  if (priority !== undefined && !isIntegerIn(priority, 1, 2_097_152)) throw new InvalidOptionError('priority', 'an integer from 1 (highest) to 2097152', priority);
  if (backoff !== undefined) {
    const ok = typeof backoff === 'object' && (backoff.type === 'fixed' || backoff.type === 'exponential') && isDuration(backoff.delayMs, 0);
    if (!ok) throw new InvalidOptionError('backoff', `{ type: "fixed" | "exponential", delayMs: 0 to ${MAX_TIMER_MS} }`, backoff);
  }
}

function isIntegerIn(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

function isDuration(value: unknown, min: number): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= min && value <= MAX_TIMER_MS;
}

/**
 * Checks a duration in ms that becomes a timer: Node runs a timer longer than MAX_TIMER_MS
 * after 1 ms, so a longer one is refused, never clamped into its opposite.
 */
export function duration(name: string, value: unknown, min: number): number {
  if (!isDuration(value, min)) throw new InvalidOptionError(name, `a number of ms from ${min} to ${MAX_TIMER_MS} (about 24.8 days)`, value);
  return value;
}

/** `ticket.result()`'s wait: the caller's, checked, or the contract's default. */
export function resultTimeout(options: ResultOptions | undefined): number {
  const given = options?.timeoutMs;
  return given === undefined ? defaults.resultTimeoutMs : duration('timeoutMs', given, 0);
}

/** `stop()`'s drain deadline: the caller's, checked, or the contract's default. */
export function drainTimeout(options: StopOptions): number {
  return options.timeoutMs === undefined ? defaults.drainTimeoutMs : duration('timeoutMs', options.timeoutMs, 0);
}

/**
 * `stop()` as the contract has it, for every runner: options checked before anything stops
 * (drain by default, the default deadline), and a second call resolves with the first's report.
 */
export function stopOnce(stop: (drain: boolean, timeoutMs: number) => Promise<StopReport>): (options?: StopOptions) => Promise<StopReport> {
  let stopping: Promise<StopReport> | undefined;
  return (options = {}) => {
    if (stopping !== undefined) return stopping;
    try {
      stopping = stop(options.drain !== false, drainTimeout(options));
    } catch (error) {
      return Promise.reject(toError(error));
    }
    return stopping;
  };
}

/** What a runner calls with an error that has no caller: the user's onError, or the default. */
export type ErrorSink = (error: unknown, event?: LifecycleEvent) => void;

/** How many distinct messages the default sink remembers; past it, it starts afresh. */
const REMEMBERED_MESSAGES = 1000;

/**
 * The runner's error sink: `onError` when given, else one line on stderr per distinct message
 * (a store that is down for a minute raises the same error hundreds of times). A throwing
 * onError never breaks the runner.
 */
export function errorSink(runner: RunnerId, onError: RunnerOptions['onError'], write: (line: string) => void = (line) => process.stderr.write(line)): ErrorSink {
  const seen = new Set<string>();
  return (reason, event) => {
    const error = toError(reason);
    if (onError !== undefined) {
      try {
        onError(error, event);
      } catch {
        // The handler's bug is the handler's: it must not become an unhandled rejection here.
      }
      return;
    }
    if (seen.has(error.message)) return;
    if (seen.size >= REMEMBERED_MESSAGES) seen.clear();
    seen.add(error.message);
    const what = event === undefined ? 'background error' : `job ${event.job} (${event.jobId}) failed`;
    write(`[${runner}] ${what}: ${firstLine(error.message)}${seen.size === 1 ? ' (each distinct error is shown once; pass onError to see them all)' : ''}\n`);
  };
}

function firstLine(message: string): string {
  const end = message.indexOf('\n');
  return end === -1 ? message : message.slice(0, end);
}

/** Waits for `work` or `ms`, whichever comes first; the timer never outlives the wait. */
export async function until(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([work, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

/** Checks a runner option such as `concurrency`: an integer from 1 to `max`. */
export function positiveInteger(name: string, value: unknown, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback;
  if (!isIntegerIn(value, 1, max)) throw new InvalidOptionError(name, `an integer from 1 to ${max}`, value);
  return value;
}

/** `concurrency`: an integer from 1 to MAX_CONCURRENCY, or the default its descriptor declares. */
export function concurrencyOption(value: unknown, descriptor: RunnerDescriptor): number {
  if (descriptor.concurrency === undefined) throw new Error(`runner \`${descriptor.id}\` declares no default concurrency`);
  return positiveInteger('concurrency', value, descriptor.concurrency, MAX_CONCURRENCY);
}

/** Fans lifecycle events out to listeners; a throwing listener never breaks the runner. */
export class EventHub {
  readonly #listeners = new Set<LifecycleListener>();

  /** True while someone listens: work done only to emit an event can be skipped otherwise. */
  get listening(): boolean {
    return this.#listeners.size > 0;
  }

  on(listener: LifecycleListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** `at`: when it happened, if that was before now (an event held back to keep a job's order). */
  emit(type: LifecycleType, jobId: string, job: string, attempt: number, error?: unknown, at?: number): void {
    // Skip building the event when nobody listens: keeps the hot path cheap in benchmarks.
    if (this.#listeners.size === 0) return;
    const when = at ?? now();
    const event: LifecycleEvent =
      error === undefined
        ? { type, jobId, job, at: when, attempt }
        : { type, jobId, job, at: when, attempt, error: toError(error).message };
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch {
        // A listener's bug is the listener's: the job's outcome must not change because of it.
      }
    }
  }
}

/** Re-exported for the runners, which import their helpers from here. */
export { toError };

/**
 * Refuses runner options and tuning keys the runner's descriptor does not list (onError is
 * always allowed): one check, one error class, for every runner.
 */
export function checkRunnerOptions(descriptor: RunnerDescriptor, options: object): void {
  for (const [name, value] of Object.entries(options)) {
    if (value === undefined || name === 'onError') continue;
    if (!(descriptor.options as readonly string[]).includes(name)) throw new UnsupportedOptionError(descriptor.id, name, descriptor.options);
  }
  const tuning: unknown = (options as { tuning?: unknown }).tuning;
  if (tuning === undefined) return;
  if (tuning === null || typeof tuning !== 'object' || Array.isArray(tuning)) throw new InvalidOptionError('tuning', 'an object of tuning keys', tuning);
  for (const [key, value] of Object.entries(tuning)) {
    if (value === undefined) continue;
    if (!descriptor.tuning.includes(key)) throw new UnsupportedOptionError(descriptor.id, `tuning.${key}`, descriptor.tuning.map((k) => `tuning.${k}`));
  }
}

/**
 * Every ticket's result() for a runner that returns none: made once per runner, not a closure
 * per job (under tsx, per-job-closures.test.ts).
 */
export function resultUnavailable(runner: RunnerId): () => Promise<never> {
  return () => Promise.reject(new ResultUnavailableError(runner));
}

/** How an in-process job ended, kept as a value so a ticket's promise never rejects unread. */
export type Outcome = { readonly ok: true; readonly value: Json } | { readonly ok: false; readonly error: Error };

/**
 * `ticket.result()` for in-process runners: the job's value, its failure as JobFailedError
 * with the job's error as cause, or a TimeoutError when the wait passes first (the job runs on).
 */
export function resultOf(outcome: Promise<Outcome>, job: string, id: string, options: ResultOptions | undefined): Promise<Json> {
  let waitMs: number;
  try {
    waitMs = resultTimeout(options);
  } catch (error) {
    return Promise.reject(toError(error));
  }
  // One promise and one timer, no race: this wait is part of every round trip a caller awaits.
  return new Promise<Json>((resolve, reject) => {
    const timer = setTimeout(() => reject(new TimeoutError(`the result of job \`${job}\` (${id})`, waitMs)), waitMs);
    void outcome.then((settled) => {
      clearTimeout(timer);
      if (settled.ok) resolve(settled.value);
      else reject(new JobFailedError(job, id, 1, settled.error));
    });
  });
}
