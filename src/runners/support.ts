// Small pieces every runner needs, kept in one place so that each runner file holds only
// what makes it different: option checks, event fan-out, ids and timestamps.

import { randomUUID } from 'node:crypto';
import type { Json, LifecycleEvent, LifecycleListener, LifecycleType, RunnerDescriptor, RunnerId, RunnerTraits, SubmitOptions } from '../contract.ts';
import { InvalidOptionError, JobFailedError, TimeoutError, UnsupportedOptionError } from '../errors.ts';

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
  if (attempts !== undefined && !(Number.isInteger(attempts) && attempts >= 1)) throw new InvalidOptionError('attempts', 'an integer >= 1', attempts);
  if (delayMs !== undefined && !(Number.isFinite(delayMs) && delayMs >= 0)) throw new InvalidOptionError('delayMs', 'a finite number >= 0', delayMs);
  if (timeoutMs !== undefined && !(Number.isFinite(timeoutMs) && timeoutMs > 0)) throw new InvalidOptionError('timeoutMs', 'a finite number > 0', timeoutMs);
  if (priority !== undefined && !(Number.isInteger(priority) && priority >= 1 && priority <= 2_097_152)) {
    throw new InvalidOptionError('priority', 'an integer from 1 (highest) to 2097152', priority);
  }
  if (backoff !== undefined) {
    const ok = typeof backoff === 'object' && (backoff.type === 'fixed' || backoff.type === 'exponential') && Number.isFinite(backoff.delayMs) && backoff.delayMs >= 0;
    if (!ok) throw new InvalidOptionError('backoff', '{ type: "fixed" | "exponential", delayMs: number >= 0 }', backoff);
  }
}

/** Checks a positive integer runner option such as `concurrency`. */
export function positiveInteger(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw new InvalidOptionError(name, 'an integer >= 1', value);
  return value;
}

/** Fans lifecycle events out to listeners; a throwing listener never breaks the runner. */
export class EventHub {
  readonly #listeners = new Set<LifecycleListener>();

  on(listener: LifecycleListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  emit(type: LifecycleType, jobId: string, job: string, attempt: number, error?: unknown): void {
    // Skip building the event when nobody listens: keeps the hot path cheap in benchmarks.
    if (this.#listeners.size === 0) return;
    const event: LifecycleEvent =
      error === undefined
        ? { type, jobId, job, at: now(), attempt }
        : { type, jobId, job, at: now(), attempt, error: toError(error).message };
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch {
        // A listener's bug is the listener's: the job's outcome must not change because of it.
      }
    }
  }
}

/** Turns anything thrown into an Error, so `cause` is always inspectable. */
export function toError(value: unknown): Error {
  if (value instanceof Error) return value;
  if (typeof value === 'string') return new Error(value);
  try {
    return new Error(JSON.stringify(value) ?? typeof value);
  } catch {
    return new Error(Object.prototype.toString.call(value));
  }
}

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

/** How an in-process job ended, kept as a value so a ticket's promise never rejects unread. */
export type Outcome = { readonly ok: true; readonly value: Json } | { readonly ok: false; readonly error: Error };

/**
 * `ticket.result()` for in-process runners: the job's value, its failure as JobFailedError
 * with the job's error as cause, or a TimeoutError when `waitMs` passes first (the job runs on).
 */
export async function resultOf(outcome: Promise<Outcome>, job: string, id: string, waitMs: number | undefined): Promise<Json> {
  let timer: NodeJS.Timeout | undefined;
  const late = waitMs === undefined ? undefined : new Promise<undefined>((resolve) => (timer = setTimeout(resolve, waitMs, undefined)));
  const settled = await (late === undefined ? outcome : Promise.race([outcome, late]));
  clearTimeout(timer);
  if (settled === undefined) throw new TimeoutError(`the result of job \`${job}\` (${id})`, waitMs ?? 0);
  if (settled.ok) return settled.value;
  throw new JobFailedError(job, id, 1, settled.error);
}
