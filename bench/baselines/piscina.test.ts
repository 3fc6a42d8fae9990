// The piscina peer: set up as the worker-pool runner sets up its pool (threads up to the
// cores, the concurrency shared among them), running a plain worker file off the main thread.

import { afterAll, describe, expect, it } from 'vitest';
import type { BenchServices } from '../types.ts';
import { piscina, piscinaOptions } from './piscina.ts';

const services: BenchServices = { redisUrl: () => Promise.reject(new Error('unused')), databaseUrl: () => Promise.reject(new Error('unused')) };

afterAll(() => piscina.close?.());

describe('piscina', () => {
  it('has a thread per core up to the concurrency, sharing the concurrency among them', () => {
    expect(piscinaOptions(50, 2)).toMatchObject({ minThreads: 2, maxThreads: 2, concurrentTasksPerWorker: 25 });
    expect(piscinaOptions(50, 8)).toMatchObject({ minThreads: 8, maxThreads: 8, concurrentTasksPerWorker: 7 });
    expect(piscinaOptions(3, 8)).toMatchObject({ minThreads: 3, maxThreads: 3, concurrentTasksPerWorker: 1 });
  });

  it('runs cpu jobs off the main thread: the event loop keeps ticking while they spin', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    try {
      // Warm: the threads start on the first drain.
      await piscina.drain({ job: 'noop', data: null, jobs: 4, concurrency: 2, services });
      ticks = 0;
      const elapsed = await piscina.drain({ job: 'cpu', data: { ms: 100 }, jobs: 4, concurrency: 2, services });
      // Four spins of 100 ms on two threads take at least 200 ms; on this thread's loop none of that time.
      expect(elapsed).toBeGreaterThanOrEqual(200 - 1);
      expect(ticks).toBeGreaterThan(5);
    } finally {
      clearInterval(timer);
    }
  });

  it('sleeps jobs side by side within a thread', async () => {
    // A pool per concurrency: warm this one's threads first.
    await piscina.drain({ job: 'noop', data: null, jobs: 4, concurrency: 20, services });
    // 20 sleeps of 100 ms at concurrency 20: one wave; one at a time would take 2 s.
    const elapsed = await piscina.drain({ job: 'sleep', data: { ms: 100 }, jobs: 20, concurrency: 20, services });
    expect(elapsed).toBeGreaterThanOrEqual(100 - 1);
    expect(elapsed).toBeLessThan(2000);
  });
});
