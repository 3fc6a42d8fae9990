// The p-queue peers do the job they claim, at the concurrency they are given: a drain of
// 100 sleep jobs of 40 ms at concurrency 50 cannot end before two waves have slept.

import { describe, expect, it } from 'vitest';
import type { BenchServices } from '../types.ts';
import { pQueue, pQueueBare } from './p-queue.ts';

const services: BenchServices = { redisUrl: () => Promise.reject(new Error('unused')), databaseUrl: () => Promise.reject(new Error('unused')) };

describe.each([pQueue, pQueueBare])('$id', (peer) => {
  it('drains every job at the given concurrency, no more at once', async () => {
    const elapsed = await peer.drain({ job: 'sleep', data: { ms: 40 }, jobs: 100, concurrency: 50, services });
    expect(elapsed).toBeGreaterThanOrEqual(80 - 1);
  });

  it('runs the cpu job on this thread', async () => {
    const elapsed = await peer.drain({ job: 'cpu', data: { ms: 10 }, jobs: 5, concurrency: 50, services });
    // Five spins of 10 ms on one thread take 50 ms, however many may run at once.
    expect(elapsed).toBeGreaterThanOrEqual(50 - 1);
  });

});

describe('p-queue', () => {
  it('holds submitted jobs in its line, accepted at once, until cleared', async () => {
    const line = pQueue.hold?.(1);
    if (line === undefined) throw new Error('p-queue has no line to hold jobs in');
    let accepted = 0;
    await Promise.all(Array.from({ length: 3 }, () => line.submit('sleep', { ms: 60_000 }).then(() => accepted++)));
    expect(accepted).toBe(3);
    line.clear();
  });

  it('keeps its floor to one figure: p-queue-bare measures noop throughput only, with no memory line', () => {
    expect('hold' in pQueueBare).toBe(false);
    expect(pQueueBare.onlyJobs).toEqual(['noop']);
  });

  it("runs the catalogue's job, which checks its data: bad data fails the drain", async () => {
    // The bare one ignores the data; the catalogue's sleep refuses a negative time.
    await expect(pQueue.drain({ job: 'sleep', data: { ms: -1 }, jobs: 2, concurrency: 2, services })).rejects.toThrow(/ms/);
    await expect(pQueueBare.drain({ job: 'sleep', data: { ms: -1 }, jobs: 2, concurrency: 2, services })).resolves.toBeGreaterThanOrEqual(0);
  });
});
