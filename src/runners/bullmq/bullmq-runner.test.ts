// What a queue gives that in-process runners do not, proved against real servers for both
// backends (the run's shared Redis and PostgreSQL): retries with backoff, delays, idempotent
// ids, priorities, a per-job timeout BullMQ lacks, and a graceful stop that leaves waiting
// jobs stored for the next runner. Every test uses its own queue; counts come from events.

import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { Json, LifecycleEvent, Runner, RunnerOptions } from '../../contract.ts';
import { InvalidOptionError, JobFailedError, ServiceUnavailableError, TimeoutError, UnsupportedOptionError } from '../../errors.ts';
import { testDatabaseUrl, testRedisUrl } from '../../testing/services.ts';
import { createRunner } from '../registry.ts';

const backends = [
  { id: 'bullmq-redis', url: (): RunnerOptions => ({ redisUrl: testRedisUrl() }), ns: { prefix: 'naq-test' } },
  { id: 'bullmq-postgres', url: (): RunnerOptions => ({ databaseUrl: testDatabaseUrl() }), ns: { schema: 'naq_test' } },
] as const;

describe.each(backends)('$id', ({ id, url, ns }) => {
  const runners: Runner[] = [];
  afterEach(async () => {
    await Promise.all(runners.splice(0).map((r) => r.stop({ drain: false }).catch(() => undefined)));
  });

  async function open(extra: { queue?: string; concurrency?: number; tuning?: Record<string, Json> } = {}): Promise<{ runner: Runner; events: LifecycleEvent[] }> {
    const runner = await createRunner(id, { ...url(), queue: extra.queue ?? `t-${randomUUID()}`, concurrency: extra.concurrency ?? 5, tuning: { ...ns, ...extra.tuning } });
    runners.push(runner);
    const events: LifecycleEvent[] = [];
    runner.onEvent((e) => events.push(e));
    return { runner, events };
  }

  it('refuses a missing URL, unknown tuning and options it cannot honour, with typed errors', async () => {
    await expect(createRunner(id, {})).rejects.toBeInstanceOf(ServiceUnavailableError);
    await expect(createRunner(id, { ...url(), tuning: { lockDuration: -1 } })).rejects.toBeInstanceOf(InvalidOptionError);
    await expect(createRunner(id, { ...url(), tuning: { nonsense: 1 } })).rejects.toBeInstanceOf(UnsupportedOptionError);
    await expect(createRunner(id, { ...url(), maxQueue: 10 })).rejects.toBeInstanceOf(UnsupportedOptionError);
  });

  it('returns the job value and emits accepted → started → completed with timestamps', async () => {
    const { runner, events } = await open();
    const ticket = await runner.submit('sleep', { ms: 5 });
    expect(await ticket.result({ timeoutMs: 10_000 })).toEqual({ slept: 5 });
    expect(events.map((e) => e.type)).toEqual(['accepted', 'started', 'completed']);
    expect(events.every((e) => e.jobId === ticket.id && e.job === 'sleep' && e.at > 1.7e12)).toBe(true);
  });

  it('retries `fail {times: 2}` with exponential backoff and succeeds on attempt 3', async () => {
    const { runner, events } = await open();
    const ticket = await runner.submit('fail', { times: 2 }, { attempts: 3, backoff: { type: 'exponential', delayMs: 100 } });
    expect(await ticket.result({ timeoutMs: 10_000 })).toEqual({ attempt: 3 });
    expect(events.filter((e) => e.type === 'started').map((e) => e.attempt)).toEqual([1, 2, 3]);
    expect(events.filter((e) => e.type === 'retrying').map((e) => e.attempt)).toEqual([1, 2]);
    const starts = events.filter((e) => e.type === 'started').map((e) => e.at);
    const [s1, s2, s3] = starts as [number, number, number];
    // Exponential: about 100 ms before attempt 2, about 200 ms before attempt 3.
    expect(s2 - s1).toBeGreaterThanOrEqual(95);
    expect(s3 - s2).toBeGreaterThanOrEqual(190);
  });

  it('fails with JobFailedError (attempts counted, cause kept) when the retries run out', async () => {
    const { runner } = await open();
    const ticket = await runner.submit('fail', { times: 5 }, { attempts: 2, backoff: { type: 'fixed', delayMs: 10 } });
    const error = (await ticket.result({ timeoutMs: 10_000 }).catch((e: unknown) => e)) as JobFailedError;
    expect(error).toBeInstanceOf(JobFailedError);
    expect(error.attempts).toBe(2);
    expect((error.cause as Error).message).toBe('planned failure 2 of 5');
  });

  it('holds a delayed job back for delayMs', async () => {
    const { runner, events } = await open();
    // Timed from the submit call: BullMQ stamps the delay when the add begins, and the
    // `accepted` event comes after the add's round trip (tens of ms on a busy PostgreSQL).
    const submitted = performance.timeOrigin + performance.now();
    const ticket = await runner.submit('noop', null, { delayMs: 400 });
    await ticket.result({ timeoutMs: 10_000 });
    const started = events.find((e) => e.type === 'started')?.at ?? 0;
    // 5 ms for BullMQ's Date.now() against this process's performance clock.
    expect(started - submitted).toBeGreaterThanOrEqual(395);
  });

  it('runs a job once when the same idempotency id is submitted twice', async () => {
    const { runner, events } = await open();
    const key = `order-${randomUUID()}`;
    const first = await runner.submit('sleep', { ms: 50 }, { id: key });
    const second = await runner.submit('sleep', { ms: 50 }, { id: key });
    expect(second.id).toBe(first.id);
    await second.result({ timeoutMs: 10_000 });
    const third = await runner.submit('sleep', { ms: 50 }, { id: key });
    await third.result({ timeoutMs: 10_000 });
    expect(events.filter((e) => e.type === 'started')).toHaveLength(1);
  });

  it('runs higher priorities first (1 is highest); submitted by one instance, run by a fresh one', async () => {
    const queue = `t-${randomUUID()}`;
    const { runner: producer } = await open({ queue, tuning: { consume: false } });
    // A first job that holds the fresh runner's only slot for 500 ms: the runner starts
    // consuming before open() has subscribed to its events, and this keeps the five jobs under
    // test waiting until it has.
    await producer.submit('sleep', { ms: 500 }, { priority: 1 });
    const ids: string[] = [];
    for (const priority of [9, 9, 9, 1, 5]) ids.push((await producer.submit('noop', null, { priority })).id);
    const { events } = await open({ queue, concurrency: 1 });
    const mine = (type: string): LifecycleEvent[] => events.filter((e) => e.type === type && ids.includes(e.jobId));
    await expect.poll(() => mine('completed').length, { timeout: 10_000 }).toBe(5);
    const order = mine('started').map((e) => ids.indexOf(e.jobId));
    expect(order.slice(0, 2)).toEqual([3, 4]);
  });

  it('times out a `hang` through the AbortSignal it sees, counting each attempt', async () => {
    const { runner, events } = await open();
    const ticket = await runner.submit('hang', null, { timeoutMs: 200, attempts: 2, backoff: { type: 'fixed', delayMs: 10 } });
    const error = (await ticket.result({ timeoutMs: 10_000 }).catch((e: unknown) => e)) as JobFailedError;
    expect(error).toBeInstanceOf(JobFailedError);
    expect(error.attempts).toBe(2);
    expect(error.cause).toBeInstanceOf(TimeoutError);
    expect(events.filter((e) => e.type === 'retrying')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'failed').map((e) => e.attempt)).toEqual([2]);
  });

  it('stops gracefully: in-flight jobs finish, waiting ones stay stored and run on a fresh runner', async () => {
    const queue = `t-${randomUUID()}`;
    const { runner, events } = await open({ queue, concurrency: 2 });
    for (let i = 0; i < 7; i++) await runner.submit('sleep', { ms: 300 });
    await expect.poll(() => events.filter((e) => e.type === 'started').length, { timeout: 10_000 }).toBe(2);
    // On a loaded machine a third job can start before stop() is called: count, don't assume two.
    const completedBefore = events.filter((e) => e.type === 'completed').length;
    const report = await runner.stop({ drain: true, timeoutMs: 10_000 });
    expect(report.abandoned).toBe(0);
    expect(report.finished).toBeGreaterThanOrEqual(2 - completedBefore);
    expect(completedBefore + report.finished + report.stored).toBe(7);
    expect(report.stored).toBeGreaterThan(0);
    // Every job that started finished: none was cut short.
    expect(events.filter((e) => e.type === 'completed').length).toBe(events.filter((e) => e.type === 'started').length);
    const { runner: fresh, events: freshEvents } = await open({ queue, concurrency: 5 });
    await expect.poll(() => freshEvents.filter((e) => e.type === 'completed').length, { timeout: 10_000 }).toBe(report.stored);
    expect(await fresh.stop()).toEqual({ finished: 0, abandoned: 0, stored: 0 });
  });
});
