// The worker-thread peer, `piscina`: the library the worker-pool runner is built on, used
// directly, as a Node developer who skips the kit would use it for CPU-bound jobs. Its worker
// is a plain JavaScript file (piscina-job.js: the same noop, timer and spin loop), not the
// kit's worker, so `worker-pool ÷ piscina` is everything the kit adds: its line, events,
// tickets and the worker's own per-job work.
//
// Set up like the runner's pool so only the kit's code differs: a thread per core up to the
// concurrency, ceil(concurrency / threads) jobs at once on each (sleep jobs overlap inside a
// thread) and `atomics: 'disabled'` (with piscina's default, a thread parks in Atomics.wait
// between tasks and freezes the timers of the sleep jobs it shares). The runner keeps one spare
// thread beyond these for a crash's replacement; a piscina user has none, and neither has this.
// Every job goes to `run()` at once and piscina's own line holds what the threads cannot take
// yet, which is how piscina is meant to be fed. One pool per concurrency, kept between drains
// as the bench keeps a runner open (a thread takes a while to start); close() destroys it.

import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { Piscina } from 'piscina';
import type { Json } from '../../src/contract.ts';
import { DRAIN_TIMEOUT_MS } from '../drive.ts';
import type { ThroughputBaseline } from '../types.ts';

const filename = fileURLToPath(new URL('./piscina-job.js', import.meta.url));

function ms(data: Json): number {
  return data !== null && typeof data === 'object' && !Array.isArray(data) && typeof data.ms === 'number' ? data.ms : 0;
}

/** The pool a runner opened with `concurrency` would have, less its spare thread. */
export function piscinaOptions(concurrency: number, cores = availableParallelism()) {
  const threads = Math.min(concurrency, cores);
  return { filename, minThreads: threads, maxThreads: threads, concurrentTasksPerWorker: Math.ceil(concurrency / threads), atomics: 'disabled' as const };
}

const pools = new Map<number, Piscina>();

function poolFor(concurrency: number): Piscina {
  let pool = pools.get(concurrency);
  if (pool === undefined) pools.set(concurrency, (pool = new Piscina(piscinaOptions(concurrency))));
  return pool;
}

export const piscina: ThroughputBaseline = {
  id: 'piscina',
  async drain({ job, data, jobs, concurrency }) {
    const pool = poolFor(concurrency);
    const task = { job, ms: ms(data) };
    const started = performance.now();
    const all: Promise<unknown>[] = [];
    for (let i = 0; i < jobs; i++) all.push(pool.run(task));
    // A lost reply must not hang the run: the drain fails, the scenario says so.
    const timer = sleep(DRAIN_TIMEOUT_MS, 'timeout' as const, { ref: false });
    const outcome = await Promise.race([Promise.all(all).then(() => 'done' as const), timer]);
    if (outcome === 'timeout') throw new Error(`piscina drain of ${jobs} ${job} jobs did not finish within ${DRAIN_TIMEOUT_MS} ms (${pool.completed} done so far)`);
    return performance.now() - started;
  },
  async close() {
    const open = [...pools.values()];
    pools.clear();
    await Promise.all(open.map((pool) => pool.destroy()));
  },
};

export const baselines: readonly ThroughputBaseline[] = [piscina];
