// The in-process raw baseline, `promise-raw`: the job's work done with bare promises and a
// p-limit-like loop (C workers pulling from a counter), no kit code at all. In-process
// runners divided by this is the kit's own cost per job.

import { setTimeout as sleep } from 'node:timers/promises';
import type { Json } from '../../src/contract.ts';
import type { ThroughputBaseline } from '../types.ts';

function ms(data: Json): number {
  return data !== null && typeof data === 'object' && !Array.isArray(data) && typeof data.ms === 'number' ? data.ms : 0;
}

/** The job's work with nothing around it: a resolved promise, a bare timer, a spin loop. p-queue-bare runs it too. */
export function bareWork(job: 'noop' | 'sleep' | 'cpu', data: Json): Promise<unknown> {
  if (job === 'sleep') return sleep(ms(data));
  if (job === 'cpu') {
    const end = performance.now() + ms(data);
    while (performance.now() < end);
  }
  return Promise.resolve(null);
}

export const promiseRaw: ThroughputBaseline = {
  id: 'promise-raw',
  async drain({ job, data, jobs, concurrency }) {
    let next = 0;
    const started = performance.now();
    // C loops, each taking the next job number until none are left: p-limit's effect in 5 lines.
    const loop = async () => {
      while (next < jobs) {
        next++;
        await bareWork(job, data);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, jobs) }, loop));
    return performance.now() - started;
  },
};

export const baselines: readonly ThroughputBaseline[] = [promiseRaw];
