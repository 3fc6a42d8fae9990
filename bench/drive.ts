// The load generators every scenario shares, written against the Runner contract only.
//
// - drain: submit N jobs, time from the first submit to the last `completed`/`failed` event
//   (timestamps from the runner's own lifecycle events, so durable runners are timed the same).
// - openLoop: arrivals on a fixed schedule (intended send time i / rate), whatever the runner
//   is doing. Latency is measured from the *intended* time, so a runner (or an event loop) that
//   stalls cannot make the generator wait and hide the queue behind it: no coordinated omission.
// - closedLoop: send, wait for done, send again; timed from the actual send. It is here to show
//   what coordinated omission hides, not to rank runners.
// Bookkeeping (maps, histograms) happens in event listeners and after the run, not per send.

import { setTimeout as sleep } from 'node:timers/promises';
import * as hdr from 'hdr-histogram-js';
import type { Json, LifecycleEvent, Runner } from '../src/contract.ts';

/** What the generators need from a runner: the contract's submit and events. */
export type Subject = Pick<Runner, 'submit' | 'onEvent'>;

export const now = (): number => performance.timeOrigin + performance.now();

/** Submits in flight at once in drain(); raw baselines submit the same way (bench/baselines/). */
export const SUBMIT_WINDOW = 256;

/** How long a drain may take before it is an error, not a figure; raw baselines use it too. */
export const DRAIN_TIMEOUT_MS = 120_000;

export interface DrainResult {
  readonly elapsedMs: number;
  readonly completed: number;
  readonly failed: number;
}

/** Submits `jobs` jobs (at most SUBMIT_WINDOW submits in flight) and waits for all to finish. */
export async function drain(subject: Subject, job: string, data: Json, jobs: number, timeoutMs = DRAIN_TIMEOUT_MS): Promise<DrainResult> {
  let completed = 0;
  let failed = 0;
  let last = 0;
  let finish: () => void = () => undefined;
  const allDone = new Promise<void>((resolve) => (finish = resolve));
  const off = subject.onEvent((event) => {
    if (event.type === 'completed') completed++;
    else if (event.type === 'failed') failed++;
    else return;
    last = event.at;
    if (completed + failed >= jobs) finish();
  });
  try {
    const start = now();
    for (let sent = 0; sent < jobs; sent += SUBMIT_WINDOW) {
      const batch: Promise<unknown>[] = [];
      for (let i = sent; i < Math.min(jobs, sent + SUBMIT_WINDOW); i++) batch.push(subject.submit(job, data));
      await Promise.all(batch);
    }
    const timer = sleep(timeoutMs, 'timeout' as const, { ref: false });
    const outcome = await Promise.race([allDone.then(() => 'done' as const), timer]);
    if (outcome === 'timeout') throw new Error(`drain of ${jobs} ${job} jobs did not finish within ${timeoutMs} ms (${completed + failed} finished)`);
    return { elapsedMs: last - start, completed, failed };
  } finally {
    off();
  }
}

/** Percentiles in milliseconds from an HDR histogram of microseconds. */
export interface LatencySummary {
  readonly count: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly p999: number;
  readonly max: number;
}

export function latencySummary(valuesMs: readonly number[]): LatencySummary {
  const histogram = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: 3 });
  for (const ms of valuesMs) histogram.recordValue(Math.max(1, Math.round(ms * 1000)));
  // A percentile is its bucket's highest equivalent value, up to 0.1% above what was recorded,
  // while max is the exact largest value: unclamped, a table read `max 5,814 ms, p99.9 5,816 ms`.
  const max = histogram.maxValue / 1000;
  const at = (p: number) => Math.min(histogram.getValueAtPercentile(p) / 1000, max);
  const summary = { count: valuesMs.length, p50: at(50), p95: at(95), p99: at(99), p999: at(99.9), max };
  histogram.destroy();
  return summary;
}

export interface LoopResult {
  readonly sent: number;
  readonly finished: number;
  /** Jobs still unfinished at the deadline: counted at the deadline, never dropped. */
  readonly unfinished: number;
  readonly elapsedMs: number;
  readonly toStart: LatencySummary;
  readonly toDone: LatencySummary;
}

interface Times {
  started?: number;
  done?: number;
}

function recordTimes(subject: Subject): { times: Map<string, Times>; off: () => void } {
  const times = new Map<string, Times>();
  const off = subject.onEvent((event: LifecycleEvent) => {
    if (event.type !== 'started' && event.type !== 'completed' && event.type !== 'failed') return;
    let entry = times.get(event.jobId);
    if (entry === undefined) times.set(event.jobId, (entry = {}));
    // The first start counts: a retry does not reset the clock the user waits on.
    if (event.type === 'started') entry.started ??= event.at;
    else entry.done = event.at;
  });
  return { times, off };
}

function collect(sends: readonly { readonly id: string; readonly at: number }[], times: Map<string, Times>, deadline: number, elapsedMs: number): LoopResult {
  const toStart: number[] = [];
  const toDone: number[] = [];
  let finished = 0;
  for (const send of sends) {
    const entry = times.get(send.id);
    toStart.push((entry?.started ?? deadline) - send.at);
    if (entry?.done !== undefined) finished++;
    toDone.push((entry?.done ?? deadline) - send.at);
  }
  return { sent: sends.length, finished, unfinished: sends.length - finished, elapsedMs, toStart: latencySummary(toStart), toDone: latencySummary(toDone) };
}

async function waitFor(check: () => boolean, deadline: number, signal?: AbortSignal): Promise<void> {
  while (!check() && now() < deadline && signal?.aborted !== true) await sleep(2);
}

export interface OpenLoopOptions {
  readonly job: string;
  readonly data: Json;
  readonly ratePerSecond: number;
  readonly durationMs: number;
  /** How long to wait for stragglers after the last arrival. */
  readonly drainTimeoutMs?: number;
  readonly signal?: AbortSignal;
}

/** Fixed-rate arrivals; latency from each job's intended send time. */
export async function openLoop(subject: Subject, options: OpenLoopOptions): Promise<LoopResult> {
  const { times, off } = recordTimes(subject);
  const sends: { id: string; at: number }[] = [];
  const submits: Promise<void>[] = [];
  const interval = 1000 / options.ratePerSecond;
  const total = Math.max(1, Math.round((options.durationMs / 1000) * options.ratePerSecond));
  try {
    const start = now();
    let next = 0;
    while (next < total && options.signal?.aborted !== true) {
      // Send every job whose intended time has come, each stamped with that intended time:
      // if this loop was held up, the hold-up is charged to the jobs, as a user would feel it.
      const due = Math.min(total, Math.floor((now() - start) / interval) + 1);
      for (; next < due; next++) {
        const intended = start + next * interval;
        submits.push(subject.submit(options.job, options.data).then((ticket) => void sends.push({ id: ticket.id, at: intended })));
      }
      await sleep(1);
    }
    await Promise.all(submits);
    const deadline = now() + (options.drainTimeoutMs ?? 30_000);
    const finished = () => sends.every((s) => times.get(s.id)?.done !== undefined);
    await waitFor(finished, deadline, options.signal);
    return collect(sends, times, Math.min(now(), deadline), now() - start);
  } finally {
    off();
  }
}

/** One job at a time, timed from the actual send: what coordinated omission looks like. */
export async function closedLoop(subject: Subject, options: { readonly job: string; readonly data: Json; readonly jobs: number; readonly timeoutMs?: number; readonly signal?: AbortSignal }): Promise<LoopResult> {
  const { times, off } = recordTimes(subject);
  const sends: { id: string; at: number }[] = [];
  try {
    const start = now();
    for (let i = 0; i < options.jobs && options.signal?.aborted !== true; i++) {
      const at = now();
      const ticket = await subject.submit(options.job, options.data);
      sends.push({ id: ticket.id, at });
      await waitFor(() => times.get(ticket.id)?.done !== undefined, now() + (options.timeoutMs ?? 30_000), options.signal);
    }
    return collect(sends, times, now(), now() - start);
  } finally {
    off();
  }
}
