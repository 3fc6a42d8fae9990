// The job catalogue: every job the kit runs, by name, JSON in and JSON out.
// A worker in another thread, process or machine runs the same job by looking its name up
// here, so nothing but a name and JSON data ever crosses a boundary.
//
// How it works: each entry has `validate` (run at submit time, so bad data is the caller's
// typed error, not a failure deep inside a worker) and `run` (the job itself, given the
// attempt number and an AbortSignal it must respect where it can).

import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Json } from '../contract.ts';
import { InvalidJobDataError, UnknownJobError, describeValue } from '../errors.ts';
import { notJson } from './json.ts';
import { appendRecord } from '../ledger/ledger.ts';

export interface JobContext {
  /** 1 on the first attempt; BullMQ runners pass attemptsMade + 1. */
  readonly attempt: number;
  /**
   * Fires when the job's timeout passes or its runner abandons it. Absent when nothing can stop
   * the job (a caller with no timeout or cancel, as p-queue's own jobs): a job then runs to its
   * end, and `hang` never settles. Runners pass a LazyJobContext, whose signal is made only if
   * the job reads it (an AbortController per job was a fifth of a noop job's cost).
   */
  readonly signal?: AbortSignal;
  /**
   * A cheaper way to hear the same abort: one callback, no AbortController or EventTarget behind
   * it (runner contexts have it; `sleep` uses it). Called at once when already aborted; returns
   * the function that removes it.
   */
  readonly onAbort?: (listener: (reason: Error) => void) => () => void;
}

/** The context of a first attempt that nothing can stop: shared, so a call allocates none. */
const FIRST_ATTEMPT: JobContext = { attempt: 1 };

interface JobDefinition {
  /** One line for `--help` and the lessons. */
  readonly summary: string;
  /** Throws InvalidJobDataError; returns nothing on good data. */
  validate(data: Json): void;
  run(data: Json, context: JobContext): Promise<Json>;
}

function field(job: string, data: Json, key: string, expected: string): unknown {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new InvalidJobDataError(job, `expected an object, got ${describeValue(data)}`, expected);
  }
  return data[key];
}

function nonNegativeInteger(job: string, data: Json, key: string, max: number): number {
  const expected = `{ "${key}": an integer from 0 to ${max} }`;
  const value = field(job, data, key, expected);
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) {
    throw new InvalidJobDataError(job, `\`${key}\` is ${value === undefined ? 'missing' : describeValue(value)}`, expected);
  }
  return value;
}

function noData(job: string, data: Json): void {
  const empty = data === null || (typeof data === 'object' && !Array.isArray(data) && Object.keys(data).length === 0);
  if (!empty) throw new InvalidJobDataError(job, `takes no data, got ${describeValue(data)}`, 'null or {}');
}

/** Busy-waits on the calling thread: what a CPU-bound job does to an event loop. */
function spin(ms: number): number {
  const end = performance.now() + ms;
  let rounds = 0;
  while (performance.now() < end) rounds++;
  return rounds;
}

/** The registry's "long computation": deterministic, so a test can check the value. */
export function lookupValue(key: string): string {
  let digest = key;
  for (let i = 0; i < 1000; i++) digest = createHash('sha256').update(digest).digest('hex');
  return digest;
}

function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new Error('aborted');
}

function hasOnAbort(context: JobContext): context is JobContext & Required<Pick<JobContext, 'onAbort'>> {
  return context.onAbort !== undefined;
}

/** A timer that an abort clears: what `sleep` costs when its runner can stop it, without a signal. */
function abortableSleep<T>(ms: number, value: T, context: Required<Pick<JobContext, 'onAbort'>>): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      // Runs after `off` is set: a timer never fires in the turn that armed it.
      off();
      resolve(value);
    }, ms);
    const off = context.onAbort((reason) => {
      clearTimeout(timer);
      reject(reason);
    });
  });
}

function neverSettles(signal: AbortSignal | undefined): Promise<never> {
  return new Promise((_, reject) => {
    if (signal === undefined) return;
    if (signal.aborted) reject(abortReason(signal));
    // Only the signal can end it: that is the point of `hang`.
    signal.addEventListener('abort', () => reject(abortReason(signal)), { once: true });
  });
}

export const catalogue = {
  noop: {
    summary: 'does nothing: measures the runner, not the job',
    validate: (data) => noData('noop', data),
    run: () => Promise.resolve(null),
  },
  sleep: {
    summary: 'waits {ms} without using the CPU (I/O-bound work)',
    validate: (data) => void nonNegativeInteger('sleep', data, 'ms', 3_600_000),
    run: (data, context) => {
      const ms = nonNegativeInteger('sleep', data, 'ms', 3_600_000);
      const slept = { slept: ms };
      if (hasOnAbort(context)) return abortableSleep(ms, slept, context);
      const { signal } = context;
      return signal === undefined ? sleep(ms, slept) : sleep(ms, slept, { signal });
    },
  },
  cpu: {
    summary: 'keeps the calling thread busy for {ms} (CPU-bound work)',
    validate: (data) => void nonNegativeInteger('cpu', data, 'ms', 600_000),
    run: (data) => Promise.resolve({ rounds: spin(nonNegativeInteger('cpu', data, 'ms', 600_000)) }),
  },
  fail: {
    summary: 'throws on its first {times} attempts, then succeeds',
    validate: (data) => void nonNegativeInteger('fail', data, 'times', 1000),
    run: (data, { attempt }) => {
      const times = nonNegativeInteger('fail', data, 'times', 1000);
      if (attempt <= times) return Promise.reject(new Error(`planned failure ${attempt} of ${times}`));
      return Promise.resolve({ attempt });
    },
  },
  crash: {
    summary: 'throws outside its own promise: an uncaught exception',
    validate: (data) => noData('crash', data),
    run: (_data, { signal }) => {
      // Thrown from a timer, so no promise can catch it: only isolation helps.
      setImmediate(() => {
        throw new Error('crash: uncaught exception thrown by the `crash` job');
      });
      return neverSettles(signal);
    },
  },
  hang: {
    summary: 'never settles unless its AbortSignal fires',
    validate: (data) => noData('hang', data),
    run: (_data, { signal }) => neverSettles(signal),
  },
  lookup: {
    summary: "computes {key}'s value (1,000 rounds of SHA-256): the registry's long computation",
    validate: (data) => {
      const key = field('lookup', data, 'key', '{ "key": a non-empty string }');
      if (typeof key !== 'string' || key.length === 0) {
        throw new InvalidJobDataError('lookup', `\`key\` is ${key === undefined ? 'missing' : describeValue(key)}`, '{ "key": a non-empty string }');
      }
    },
    run: (data) => Promise.resolve(lookupValue(String(field('lookup', data, 'key', '{ "key": string }')))),
  },
  recorded: {
    summary: 'runs {job} with {data}, writing start and finish for {uuid} to the ledger file {ledger}: how faults are counted',
    validate: (data) => void recordedJob(data),
    // #region recorded
    run: async (data, context) => {
      const { ledger, uuid, definition, inner, effect } = recordedJob(data);
      appendRecord(ledger, 'start', uuid, context.attempt);
      // `before`: the effect lands before the work, so a kill during the work leaves an effect
      // the queue never acknowledged: the window at-least-once delivery turns into a duplicate.
      // A failure is not written here: whether a job failed for good is the runner's to say.
      if (effect === 'before') appendRecord(ledger, 'finish', uuid, context.attempt);
      const value = await definition.run(inner, context);
      if (effect === 'after') appendRecord(ledger, 'finish', uuid, context.attempt);
      return value;
    },
    // #endregion recorded
  },
} satisfies Record<string, JobDefinition>;

const RECORDED_SHAPE = '{ "ledger": file path, "uuid": one word, "job": a catalogue job, "data": its data, "effect"?: "before" | "after" }';

/** Another job's definition; declared with its type, so `recorded` can reach the catalogue it is in. */
function definitionOf(name: unknown): JobDefinition | undefined {
  return typeof name === 'string' && name !== 'recorded' && Object.hasOwn(catalogue, name) ? (catalogue as Readonly<Record<string, JobDefinition>>)[name] : undefined;
}

/** Checks `recorded`'s data, including the inner job's own data. */
function recordedJob(data: Json): { ledger: string; uuid: string; definition: JobDefinition; inner: Json; effect: 'before' | 'after' } {
  const get = (key: string) => field('recorded', data, key, RECORDED_SHAPE);
  const [ledger, uuid, job, effect] = [get('ledger'), get('uuid'), get('job'), get('effect') ?? 'after'];
  const bad = (what: string, value: unknown) => new InvalidJobDataError('recorded', `\`${what}\` is ${JSON.stringify(value) ?? 'missing'}`, RECORDED_SHAPE);
  if (typeof ledger !== 'string' || ledger === '') throw bad('ledger', ledger);
  if (typeof uuid !== 'string' || !/^\S+$/.test(uuid)) throw bad('uuid', uuid);
  const definition = definitionOf(job);
  if (definition === undefined) throw bad('job', job);
  if (effect !== 'before' && effect !== 'after') throw bad('effect', effect);
  const inner = (get('data') ?? null) as Json;
  definition.validate(inner);
  return { ledger, uuid, definition, inner, effect };
}

export type JobName = keyof typeof catalogue;
export const jobNames = Object.keys(catalogue) as JobName[];

export function isJobName(name: unknown): name is JobName {
  return typeof name === 'string' && Object.hasOwn(catalogue, name);
}

/** Throws UnknownJobError or InvalidJobDataError (data that is not JSON, or wrong for the job): call it at submit time. */
export function validateJob(job: unknown, data: Json): JobName {
  if (!isJobName(job)) throw new UnknownJobError(job, jobNames);
  const problem = notJson(data);
  if (problem !== undefined) throw new InvalidJobDataError(job, `${problem}, which is not JSON`, 'JSON only: null, true/false, finite numbers, strings, arrays and plain objects');
  catalogue[job].validate(data);
  return job;
}

/** Runs a catalogue job on the calling thread; without a context, as a first attempt nothing can stop. */
export function runJob(job: string, data: Json, context: JobContext = FIRST_ATTEMPT): Promise<Json> {
  if (!isJobName(job)) return Promise.reject(new UnknownJobError(job, jobNames));
  return catalogue[job].run(data, context);
}
