// What the lab needs to know about a runner, from its descriptor: its traits (what it
// promises) and the runner options it accepts (which knobs the lab may turn), and how to build
// those options for one case.

import type { Json, RunnerDescriptor, RunnerOptions, RunnerTraits, ServiceName } from '../../src/contract.ts';
import { describeRunner } from '../../src/runners/registry.ts';

/** BullMQ's lock and stall settings in the lab: short, so recovery fits in seconds. Recorded with every cell. */
export const LOCK_DURATION_MS = 2000;
export const STALLED_INTERVAL_MS = 1000;

export interface LabSubject {
  readonly id: string;
  readonly traits: RunnerTraits;
  /** Runner options it accepts: `concurrency` limits jobs at once; `maxQueue` refuses past a bound. */
  readonly accepts: { readonly concurrency: boolean; readonly maxQueue: boolean };
  /** A full buffer makes submit wait: the runner's `bufferSize` tuning (the stage). Backpressure instead of refusal. */
  readonly backpressure: boolean;
  /** Which store it keeps jobs in, if any. */
  readonly store?: ServiceName;
  /** A file exporting `createRunner(id, options)`: a test double the registry does not know. */
  readonly module?: string;
}

/** The lab's view of a runner, from its descriptor: traits, and the options it accepts. */
export function subjectFrom(d: Pick<RunnerDescriptor, 'id' | 'traits' | 'options' | 'tuning' | 'services'>, module?: string): LabSubject {
  const store = d.services[0];
  return {
    id: d.id,
    traits: d.traits,
    accepts: { concurrency: d.options.includes('concurrency'), maxQueue: d.options.includes('maxQueue') },
    backpressure: d.tuning.includes('bufferSize'),
    ...(store === undefined ? {} : { store }),
    ...(module === undefined ? {} : { module }),
  };
}

export function labSubject(id: string): LabSubject {
  return subjectFrom(describeRunner(id));
}

export interface CaseOptions {
  readonly concurrency: number;
  readonly maxQueue?: number;
  /** Queue name (BullMQ) so cases never see each other's jobs. */
  readonly queue: string;
  readonly url?: string;
  readonly namespace?: string;
  /** A durable runner only submits (false): another process runs the jobs. Default true. */
  readonly consume?: boolean;
}

/** RunnerOptions for one case, holding only what the runner accepts. */
export function runnerOptions(subject: LabSubject, o: CaseOptions): RunnerOptions {
  const out: { -readonly [K in keyof RunnerOptions]: RunnerOptions[K] } = {};
  if (subject.accepts.concurrency) out.concurrency = o.concurrency;
  if (subject.accepts.maxQueue && o.maxQueue !== undefined) out.maxQueue = o.maxQueue;
  if (subject.store !== undefined) {
    const tuning: Record<string, Json> = { lockDuration: LOCK_DURATION_MS, stalledInterval: STALLED_INTERVAL_MS, drainDelay: 1, cleanup: false, consume: o.consume ?? true };
    if (o.namespace !== undefined) tuning[subject.store === 'redis' ? 'prefix' : 'schema'] = o.namespace;
    out.queue = o.queue;
    out.tuning = tuning;
    if (subject.store === 'redis') out.redisUrl = o.url;
    else out.databaseUrl = o.url;
  }
  return out;
}

/** One line for a cell's setup: the settings that decide its outcome. */
export function describeSettings(subject: LabSubject, o: { readonly concurrency: number; readonly maxQueue?: number }): string {
  const parts = [subject.accepts.concurrency ? `c=${o.concurrency}` : 'no concurrency limit'];
  if (subject.accepts.maxQueue && o.maxQueue !== undefined) parts.push(`maxQueue ${o.maxQueue}`);
  if (subject.store !== undefined) parts.push(`lockDuration ${LOCK_DURATION_MS} ms, stalledInterval ${STALLED_INTERVAL_MS} ms`);
  return parts.join(', ');
}
