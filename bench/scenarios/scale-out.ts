// Scale-out: throughput of 1, 2 and 4 worker processes (`need-a-queue worker`, i.e.
// worker-process.ts) against one queue, for noop and `sleep {ms: 10}` jobs, on each BullMQ
// backend among the run's subjects. The same setup across machines needs only a shared
// REDIS_URL / DATABASE_URL.
//
// How it works: the workers are spawned and waited for (`ready`) before the clock starts, so
// process start-up is not counted. The producer is the kit runner with `consume: false`. It
// stores every job while the queue is paused (BullMQ's global pause), and the clock runs from
// resume to the last job's `completed` event, counted by one QueueEvents listener. So the
// figure is what the worker processes drain, not how fast one producer can store jobs:
// storing 2 000 jobs took 0.5–1.8 s on a busy 2-core machine, as long as 1 process takes to
// run them, and with it in the clock 2 processes looked only 1.25× faster than 1. Nor does
// the producer ask each ticket for its result(): that is a state query, two timers and a
// waiter per job, in a process that shares the CPU with the workers. A getJobCounts every
// 250 ms ends the wait if the events stream (trimmed at 10 000 entries) lost some events.
// Per-process concurrency is fixed, so for sleep jobs one process is capped near
// concurrency ÷ 10 ms and a second process should nearly double it (target ≥ 1.7×).

import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { defaults, type Json, type RunnerOptions } from '../../src/contract.ts';
import { backendArgs, makeQueue, makeQueueEvents } from '../../src/runners/bullmq/backend.ts';
import { parseTuning } from '../../src/runners/bullmq/tuning.ts';
import { createRunner } from '../../src/runners/registry.ts';
import type { Queue, QueueEvents } from 'bullmq';
import type { BenchContext, Measurement, Scenario } from '../types.ts';

const WORKER_FILE = fileURLToPath(new URL('../../src/runners/bullmq/worker-process.ts', import.meta.url));
const WORKER_COUNTS = [1, 2, 4] as const;
const BACKENDS = ['bullmq-redis', 'bullmq-postgres'] as const;

interface JobCase {
  readonly label: string;
  readonly job: 'noop' | 'sleep';
  readonly data: Json;
  readonly concurrency: number;
}

// Two sleep cases, because more processes help only while the store has room. At c=10 one
// process can ask for 1 000 jobs/s; embedded PostgreSQL on a 2-core machine serves about 500
// (measured: 485 / 532 / 335 jobs/s with 1 / 2 / 4 processes), so the second process finds the
// store already full. At c=2 one process asks for 200 jobs/s and both stores have room for
// more processes (PostgreSQL 146 / 263 / 387, Redis 173 / 341 / 659). noop shows the other
// ceiling: on 2 cores more processes only share the same CPU.
const CASES: readonly JobCase[] = [
  { label: 'noop', job: 'noop', data: null, concurrency: 50 },
  { label: 'sleep 10ms', job: 'sleep', data: { ms: 10 }, concurrency: 10 },
  { label: 'sleep 10ms', job: 'sleep', data: { ms: 10 }, concurrency: 2 },
];

/** Jobs per drain: a few seconds at the expected rate, small enough for CI. */
function jobsFor(backend: (typeof BACKENDS)[number], job: JobCase, profile: BenchContext['profile']): number {
  const scale = profile === 'full' ? 4 : 1;
  if (job.job === 'sleep') return (job.concurrency >= 10 ? 2000 : 500) * scale;
  return (backend === 'bullmq-redis' ? 4000 : 800) * scale;
}

function startWorkers(count: number, args: readonly string[]): { ready: Promise<void>; children: ChildProcess[] } {
  const children: ChildProcess[] = [];
  const readies: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const child = spawn(process.execPath, ['--import', 'tsx', WORKER_FILE, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    readies.push(
      new Promise<void>((resolve, reject) => {
        child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
          if (chunk.includes('ready ')) resolve();
        });
        child.once('exit', (code) => reject(new Error(`scale-out worker exited (${String(code)}) before ready: ${stderr}`)));
      }),
    );
  }
  return { ready: Promise.all(readies).then(() => undefined), children };
}

async function stopWorkers(children: readonly ChildProcess[]): Promise<void> {
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const hard = setTimeout(() => child.kill('SIGKILL'), 10_000);
          child.once('exit', () => (clearTimeout(hard), resolve()));
          child.kill('SIGTERM');
        }),
    ),
  );
}

/** Waits until every id in `ids` has a `completed` or `failed` event; resolves with the time of the last. */
function finishedAll(events: QueueEvents, ids: ReadonlySet<string>): { done: Promise<number>; stop: () => void } {
  const seen = new Set<string>();
  let finish: (at: number) => void = () => undefined;
  const done = new Promise<number>((resolve) => (finish = resolve));
  const onEvent = ({ jobId }: { jobId: string }): void => {
    if (!ids.has(jobId) || seen.has(jobId)) return;
    seen.add(jobId);
    if (seen.size === ids.size) finish(performance.now());
  };
  events.on('completed', onEvent);
  events.on('failed', onEvent);
  return {
    done,
    stop: () => {
      events.off('completed', onEvent);
      events.off('failed', onEvent);
    },
  };
}

const UNFINISHED = ['waiting', 'active', 'delayed', 'prioritized', 'waiting-children'] as const;

/** Resolves with the time the queue held no unfinished job, checked every `everyMs` until `stop` aborts. */
async function emptied(queue: Queue, everyMs: number, stop: AbortSignal): Promise<number> {
  while (!stop.aborted) {
    await sleep(everyMs);
    if (stop.aborted) break;
    const counts = await queue.getJobCounts(...UNFINISHED).catch(() => undefined);
    if (counts !== undefined && UNFINISHED.every((state) => (counts[state] ?? 0) === 0)) return performance.now();
  }
  return new Promise<never>(() => undefined);
}

/** `promise`, or a rejection with `message` after `ms`; the timer is cleared either way. */
async function within<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)));
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

export async function drainOnce(backend: (typeof BACKENDS)[number], url: string, workers: number, jobCase: JobCase, jobs: number): Promise<number> {
  const queue = `scale-${randomUUID().slice(0, 8)}`;
  const kind = backend === 'bullmq-redis' ? 'redis' : 'postgres';
  const options: RunnerOptions = kind === 'redis' ? { redisUrl: url } : { databaseUrl: url };
  // Every job is submitted at once while the queue is paused: the producer's bound on submits
  // waiting for the store (defaults.maxPendingSubmits) must hold a whole drain.
  const producer = await createRunner(backend, { ...options, queue, maxPendingSubmits: Math.max(jobs, defaults.maxPendingSubmits), tuning: { consume: false } });
  // The producer's and the workers' namespace (the runner's default), for the raw handles.
  const args = backendArgs(kind, url, parseTuning(kind).namespace);
  const control = makeQueue(queue, args);
  const events = makeQueueEvents(queue, args);
  control.on('error', () => undefined);
  events.on('error', () => undefined);
  const polling = new AbortController();
  const { ready, children } = startWorkers(workers, ['--runner', backend, '--queue', queue, '--concurrency', String(jobCase.concurrency), '--url', url]);
  try {
    await Promise.all([ready, control.waitUntilReady(), events.waitUntilReady()]);
    // Warm-up: one job end to end, so QueueEvents is already reading when the clock starts
    // (its first read begins a moment after it reports ready).
    const warmId = `warm-${queue}`;
    const warmed = finishedAll(events, new Set([warmId]));
    await producer.submit('noop', null, { id: warmId });
    await within(warmed.done, 30_000, 'scale-out: the warm-up job did not finish within 30 s');
    warmed.stop();
    await control.pause();
    const tickets = await Promise.all(Array.from({ length: jobs }, () => producer.submit(jobCase.job, jobCase.data)));
    const all = finishedAll(events, new Set(tickets.map((t) => t.id)));
    const started = performance.now();
    await control.resume();
    const finished = await within(Promise.race([all.done, emptied(control, 250, polling.signal)]), 300_000, `scale-out: ${jobs} ${jobCase.label} jobs on ${workers} process(es) did not finish within 300 s`);
    all.stop();
    return (jobs / (finished - started)) * 1000;
  } finally {
    polling.abort();
    await stopWorkers(children);
    await events.close().catch(() => undefined);
    await control.close().catch(() => undefined);
    await producer.stop({ drain: false });
  }
}

export const scaleOut: Scenario = {
  name: 'scale-out',
  summary: 'jobs/s with 1, 2 and 4 worker processes on one queue (noop and sleep 10 ms), per BullMQ backend',
  async run(context) {
    const measurements: Measurement[] = [];
    const repeats = context.profile === 'full' ? 3 : 1;
    for (const backend of BACKENDS) {
      if (!context.subjects.includes(backend)) continue;
      const url = backend === 'bullmq-redis' ? await context.services.redisUrl() : await context.services.databaseUrl();
      for (const jobCase of CASES) {
        const jobs = jobsFor(backend, jobCase, context.profile);
        let single: number | undefined;
        for (const workers of WORKER_COUNTS) {
          const samples: number[] = [];
          for (let r = 0; r < repeats && !context.signal.aborted; r++) {
            context.progress(`scale-out ${backend} ${jobCase.label} × ${workers} process(es), run ${r + 1}/${repeats}`);
            samples.push(await drainOnce(backend, url, workers, jobCase, jobs));
          }
          if (samples.length === 0) return measurements;
          const median = [...samples].sort((a, b) => a - b)[Math.floor(samples.length / 2)] ?? 0;
          single ??= median;
          measurements.push({
            scenario: 'scale-out',
            subject: backend,
            case: `${jobCase.label} workers=${workers} c=${jobCase.concurrency}`,
            metric: 'jobs/s',
            unit: 'jobs/s',
            better: 'higher',
            samples,
            notes: { jobs, workers, concurrencyPerProcess: jobCase.concurrency, ...(workers === 1 ? {} : { speedupVsOne: Number((median / single).toFixed(2)) }) },
          });
        }
      }
    }
    return measurements;
  },
};

export default scaleOut;
