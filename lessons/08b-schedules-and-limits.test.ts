// Proves lessons/08b-schedules-and-limits.md against a real Redis and BullMQ: setInterval in two
// app instances runs each tick in both; BullMQ's job scheduler, upserted by both, runs each tick
// once, keeps one job stored while no Worker runs, and resumes under a new Worker with no
// upsert; a limiter bounds the jobs started per window across two Workers. Counts and states,
// not wall-clock bounds, except the limiter's lower bound, which load can only lengthen.

import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Queue, type Worker } from 'bullmq';
import { afterEach, describe, expect, it } from 'vitest';
import { redisConnection } from '../src/runners/bullmq/backend.ts';
import { testRedisUrl } from '../src/testing/services.ts';
import { startAppInstance } from './08b-schedules-and-limits/interval-everywhere.ts';
import { scheduleDigest, startDigestWorker, type DigestQueue } from './08b-schedules-and-limits/job-scheduler.ts';
import { PARTNER_API_LIMIT, startPartnerApiWorker } from './08b-schedules-and-limits/rate-limit.ts';
import { normalise } from './support/normalise.ts';

const PREFIX = 'naq-lesson-08b';
const EVERY_MS = 300;

describe('lesson 08b: schedules and limits', () => {
  const closers: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close().catch(() => undefined);
  });

  function where(): DigestQueue {
    return { connection: redisConnection(testRedisUrl()), prefix: PREFIX, queue: `digest-${randomUUID()}` };
  }

  /** Obliterates the queue after the test, so the shared Redis keeps none of its keys. */
  function cleanupQueue(w: DigestQueue): void {
    closers.push(async () => {
      const queue = new Queue(w.queue, { connection: w.connection, prefix: w.prefix });
      await queue.obliterate({ force: true });
      await queue.close();
    });
  }

  it('setInterval in two instances: every tick runs in both', async () => {
    const runs = new Map<string, number>([['a', 0], ['b', 0]]);
    const count = (instance: string): void => void runs.set(instance, (runs.get(instance) ?? 0) + 1);
    const stops = [startAppInstance('a', 50, count), startAppInstance('b', 50, count)];
    closers.push(() => Promise.resolve(stops.forEach((stop) => stop())));
    await expect.poll(() => Math.min(...runs.values()), { timeout: 10_000, interval: 20 }).toBeGreaterThanOrEqual(3);
    stops.forEach((stop) => stop());
    const lines = ['two instances, each with setInterval:'];
    for (let tick = 1; tick <= 3; tick++) {
      const ranIn = [...runs].filter(([, n]) => n >= tick).map(([instance]) => instance);
      lines.push(`  tick ${tick} ran in ${ranIn.length} instances: ${ranIn.join(', ')}`);
    }
    expect(runs.get('a')).toBeGreaterThanOrEqual(3);
    expect(runs.get('b')).toBeGreaterThanOrEqual(3);
    await expect(normalise(lines.join('\n'))).toMatchFileSnapshot('./outputs/08b-set-interval.txt');
  });

  it('a job scheduler upserted by two instances runs each tick once, stores one job while no Worker runs, and resumes under a new Worker', async () => {
    const w = where();
    cleanupQueue(w);
    const runs: { instance: string; jobId: string }[] = [];
    const onRun = (instance: string, jobId: string): void => void runs.push({ instance, jobId });
    const timesRun = (jobId: string): number => runs.filter((r) => r.jobId === jobId).length;
    // Tick jobs are `repeat:<scheduler id>:<due time in ms>`: ordered by due time.
    const ticks = (): string[] => [...new Set(runs.map((r) => r.jobId))].sort((x, y) => Number(x.split(':').at(-1)) - Number(y.split(':').at(-1)));

    // Two app instances, each upserting the scheduler at startup and running a Worker.
    const queues = [await scheduleDigest(w, EVERY_MS), await scheduleDigest(w, EVERY_MS)];
    const workers: Worker[] = [await startDigestWorker(w, 'a', onRun), await startDigestWorker(w, 'b', onRun)];
    closers.push(() => Promise.all([...workers.map((x) => x.close(true)), ...queues.map((q) => q.close())]));
    const inspect = queues[0]!;
    expect(await inspect.getJobSchedulersCount()).toBe(1);
    await expect.poll(() => ticks().length, { timeout: 15_000, interval: 50 }).toBeGreaterThanOrEqual(3);
    await Promise.all(workers.map((x) => x.close()));
    const before = ticks();
    for (const id of before) expect(timesRun(id), id).toBe(1);
    expect(before.every((id) => id.startsWith('repeat:send-digest:'))).toBe(true);

    // No Worker for four ticks: only the next tick's job is stored.
    await sleep(4 * EVERY_MS);
    const stored = await inspect.getJobCounts('delayed', 'waiting', 'prioritized');
    const storedTotal = (stored.delayed ?? 0) + (stored.waiting ?? 0) + (stored.prioritized ?? 0);
    expect(storedTotal).toBe(1);
    expect(await inspect.getJobScheduler('send-digest')).toBeDefined();

    // A new Worker, and nobody upserts again: the schedule is in Redis.
    const restarted = await startDigestWorker(w, 'c', onRun);
    closers.push(() => restarted.close(true));
    await expect.poll(() => ticks().length, { timeout: 15_000, interval: 50 }).toBeGreaterThan(before.length);
    await restarted.close();
    const after = ticks().filter((id) => !before.includes(id));
    for (const id of after) expect(timesRun(id), id).toBe(1);
    expect(runs.filter((r) => after.includes(r.jobId)).every((r) => r.instance === 'c')).toBe(true);

    const lines = [
      'two instances upsert the scheduler and run a Worker each:',
      `  schedulers stored: ${await inspect.getJobSchedulersCount()}`,
      ...before.slice(0, 3).map((id, i) => `  tick ${i + 1} ran ${timesRun(id)} time`),
      'every Worker stopped for four ticks:',
      `  jobs stored: ${storedTotal}`,
      'a new Worker, no upsert:',
      `  tick ${before.length + 1} ran ${timesRun(after[0]!)} time`,
    ];
    await expect(normalise(lines.join('\n'))).toMatchFileSnapshot('./outputs/08b-job-scheduler.txt');
  });

  it('a limiter bounds the jobs started per window across two Workers; the rest wait, none fail', async () => {
    const w = where();
    cleanupQueue(w);
    const JOBS = 8;
    const starts: number[] = [];
    const callPartnerApi = async (): Promise<void> => {
      starts.push(performance.now());
      await sleep(5);
    };
    const workers = [startPartnerApiWorker(w.queue, w.connection, w.prefix, callPartnerApi), startPartnerApiWorker(w.queue, w.connection, w.prefix, callPartnerApi)];
    let completed = 0;
    let failed = 0;
    for (const worker of workers) {
      worker.on('completed', () => completed++);
      worker.on('failed', () => failed++);
    }
    closers.push(() => Promise.all(workers.map((x) => x.close(true))));
    await Promise.all(workers.map((x) => x.waitUntilReady()));
    const queue = new Queue(w.queue, { connection: w.connection, prefix: w.prefix });
    closers.push(() => queue.close());
    const addedAt = performance.now();
    await queue.addBulk(Array.from({ length: JOBS }, (_, i) => ({ name: 'call-partner', data: { n: i } })));
    await expect.poll(() => completed + failed, { timeout: 20_000, interval: 50 }).toBe(JOBS);
    // ceil(8 / 2) = 4 windows: the last start cannot come before three full windows have passed.
    const windows = Math.ceil(JOBS / PARTNER_API_LIMIT.max);
    const lastStart = Math.max(...starts);
    expect(lastStart - addedAt).toBeGreaterThanOrEqual((windows - 1) * PARTNER_API_LIMIT.duration);
    expect(failed).toBe(0);
    const floor = (windows - 1) * PARTNER_API_LIMIT.duration;
    const lines = [
      `${JOBS} jobs added at once, two Workers:`,
      `  completed ${completed}, failed ${failed}`,
      `  windows needed at ${PARTNER_API_LIMIT.max} a window: ${windows}`,
      `  last start ${floor} ms or more after the add: ${lastStart - addedAt >= floor ? 'yes' : 'no'}`,
    ];
    await expect(normalise(lines.join('\n'))).toMatchFileSnapshot('./outputs/08b-rate-limit.txt');
  });
});
