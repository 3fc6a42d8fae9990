// The latency proof: a subject that stalls once for 200 ms. Under open-loop arrivals every job
// that arrives during the stall waits behind it, so the stall reaches p99; a closed loop sends
// nothing while it waits, so only one sample sees the stall and p99 hides it.

import { describe, expect, it } from 'vitest';
import type { LifecycleListener, Ticket } from '../src/contract.ts';
import { closedLoop, drain, latencySummary, now, openLoop, type Subject } from './drive.ts';

/** A test-only subject: one job at a time; the job numbered `stallAt` takes 200 ms. */
function stallingSubject(stallAt: number): Subject & { readonly processed: () => number } {
  const listeners = new Set<LifecycleListener>();
  const line: { id: string; job: string }[] = [];
  let count = 0;
  let busy = false;
  const emit = (type: 'accepted' | 'started' | 'completed', id: string, job: string) => {
    for (const l of listeners) l({ type, jobId: id, job, at: now(), attempt: 1 });
  };
  const pump = () => {
    if (busy) return;
    const next = line.shift();
    if (next === undefined) return;
    busy = true;
    const n = ++count;
    emit('started', next.id, next.job);
    const finish = () => {
      emit('completed', next.id, next.job);
      busy = false;
      pump();
    };
    if (n === stallAt) setTimeout(finish, 200);
    else setImmediate(finish);
  };
  return {
    processed: () => count,
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    submit(job) {
      const id = `job-${count}-${line.length}-${Math.random()}`;
      line.push({ id, job });
      emit('accepted', id, job);
      queueMicrotask(pump);
      const ticket: Ticket = { id, job, result: () => Promise.resolve(null) };
      return Promise.resolve(ticket);
    },
  };
}

describe('latency without coordinated omission', () => {
  it('open loop: a 200 ms stall shows in p99', async () => {
    const result = await openLoop(stallingSubject(100), { job: 'noop', data: null, ratePerSecond: 500, durationMs: 1000 });
    expect(result.sent).toBe(500);
    expect(result.unfinished).toBe(0);
    // About 100 of 500 jobs arrive during the stall: far more than 1% wait behind it.
    expect(result.toDone.p99).toBeGreaterThanOrEqual(100);
    expect(result.toDone.max).toBeGreaterThanOrEqual(150);
  });

  it('closed loop: the same stall hides from p99 and shows only in max', async () => {
    const result = await closedLoop(stallingSubject(100), { job: 'noop', data: null, jobs: 300 });
    expect(result.sent).toBe(300);
    expect(result.toDone.max).toBeGreaterThanOrEqual(150);
    // One sample in 300 is under 1%: p99 does not see the stall at all.
    expect(result.toDone.p99).toBeLessThan(100);
  });
});

describe('drain', () => {
  it('counts every job it submitted', async () => {
    const subject = stallingSubject(-1);
    const result = await drain(subject, 'noop', null, 1000);
    expect(result.completed).toBe(1000);
    expect(subject.processed()).toBe(1000);
  });
});

describe('latencySummary', () => {
  it('never puts a percentile above the max (HDR buckets round up; a row read max 5,816 ms below p99.9)', () => {
    const summaries = [latencySummary([5814.1, 5816.123, 1, 2, 3]), latencySummary(Array.from({ length: 2000 }, (_, i) => 5000 + i * 0.4))];
    for (const s of summaries) {
      expect([s.p50, s.p95, s.p99, s.p999, s.max]).toEqual([s.p50, s.p95, s.p99, s.p999, s.max].sort((a, b) => a - b));
      expect(s.p999).toBeLessThanOrEqual(s.max);
    }
    expect(summaries[0]?.max).toBe(5816.123);
  });
});
