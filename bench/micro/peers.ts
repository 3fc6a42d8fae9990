// Micro benchmarks for issue 15's fixes, each beside the peer a user would pick instead (p-queue
// for in-process concurrency, piscina for threads), measured in the same run:
// - the job context: a catalogue noop with a LazyJobContext (what runners pass: no
//   AbortController unless the job reads its signal) and with the AbortController every job
//   used to get, beside a bare `() => Promise.resolve(null)`; and the kit's own per-job
//   bookkeeping alone (what a runner's noop costs beyond p-queue's buys);
// - a batch of noop jobs through p-queue (bare functions), through TaskSupervisor, and through the task, genserver
//   and fire-and-forget runners (submit, then wait for the last to finish): the promise layers
//   and allocations per job;
// - a tiny-task round trip on a worker thread: piscina with a plain worker file (with its
//   defaults, and with atomics 'disabled' as the kit's pool has it), and the kit's worker-pool
//   (its per-job BroadcastChannel message is gone when nobody listens for `started`).
// Drains: issue `batch` jobs, wait until all finished; the time per job is the batch's ÷ batch.

import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import PQueue from 'p-queue';
import { Piscina } from 'piscina';
import type { Runner } from '../../src/contract.ts';
import { runJob, validateJob } from '../../src/jobs/catalogue.ts';
import { LazyJobContext } from '../../src/jobs/lazy-job-context.ts';
import { TaskSupervisor } from '../../src/otp/task-supervisor.ts';
import { createRunner } from '../../src/runners/registry.ts';
import { EventHub, newJobId } from '../../src/runners/support.ts';
import type { MicroCase, MicroSuite } from '../types.ts';

const bare = (): Promise<null> => Promise.resolve(null);
const C = 50;

const contextSuite: MicroSuite = {
  name: 'job-context',
  setup() {
    const batch = 1000;
    const hub = new EventHub();
    // One listener, as the bench's drain has: with none, emit builds no event at all.
    hub.on(() => undefined);
    const cases: MicroCase[] = [
      {
        name: 'bare () => Promise.resolve(null)',
        batch,
        fn: async () => {
          for (let i = 0; i < batch - 1; i++) void bare();
          await bare();
        },
      },
      {
        name: 'runJob noop, LazyJobContext',
        baselineOf: 'bare () => Promise.resolve(null)',
        batch,
        fn: async () => {
          for (let i = 0; i < batch - 1; i++) void runJob('noop', null, new LazyJobContext(1));
          await runJob('noop', null, new LazyJobContext(1));
        },
      },
      {
        // What a runner does per job that p-queue does not, without running anything: the data
        // checked as JSON for the job, an id, and the accepted/started/completed events to one
        // listener (the bench's own). The part of a runner's noop cost that buys those features.
        name: 'kit bookkeeping alone: validateJob + id + 3 events',
        baselineOf: 'bare () => Promise.resolve(null)',
        batch,
        fn: async () => {
          for (let i = 0; i < batch; i++) {
            validateJob('noop', null);
            const id = newJobId();
            hub.emit('accepted', id, 'noop', 1);
            hub.emit('started', id, 'noop', 1);
            hub.emit('completed', id, 'noop', 1);
          }
          await bare();
        },
      },
      {
        // What every job paid before issue 15: a controller made whether or not the job looked.
        name: 'runJob noop, AbortController per job (before)',
        baselineOf: 'bare () => Promise.resolve(null)',
        batch,
        fn: async () => {
          for (let i = 0; i < batch - 1; i++) void runJob('noop', null, { attempt: 1, signal: new AbortController().signal });
          await runJob('noop', null, { attempt: 1, signal: new AbortController().signal });
        },
      },
    ];
    return Promise.resolve({ cases, teardown: () => Promise.resolve() });
  },
};

/** Submits `batch` noops and resolves when the runner says the last one finished. */
function runnerDrain(runner: Runner, batch: number): () => Promise<void> {
  let done = 0;
  let wake: (() => void) | undefined;
  runner.onEvent((event) => {
    if (event.type !== 'completed' && event.type !== 'failed') return;
    if (++done === batch) wake?.();
  });
  return async () => {
    done = 0;
    const finished = new Promise<void>((resolve) => (wake = resolve));
    for (let i = 0; i < batch; i++) void runner.submit('noop', null);
    await finished;
  };
}

const drainSuite: MicroSuite = {
  name: 'noop-drain-c50',
  async setup() {
    const batch = 500;
    const queue = new PQueue({ concurrency: C });
    const supervisor = new TaskSupervisor({ concurrency: C, maxQueue: batch });
    const runners = await Promise.all([
      createRunner('task', { concurrency: C }),
      createRunner('genserver', { concurrency: C }),
      createRunner('fire-and-forget', {}),
    ]);
    const [task, genserver, fireAndForget] = runners;
    const peer = 'p-queue, bare noop (peer)';
    const cases: MicroCase[] = [
      {
        name: peer,
        batch,
        fn: async () => {
          for (let i = 0; i < batch; i++) void queue.add(bare);
          await queue.onIdle();
        },
      },
      {
        name: 'TaskSupervisor, bare noop',
        baselineOf: peer,
        batch,
        fn: async () => {
          for (let i = 0; i < batch; i++) void supervisor.start(bare);
          await supervisor.idle();
        },
      },
      { name: 'task runner, noop', baselineOf: peer, batch, fn: runnerDrain(task, batch) },
      { name: 'genserver runner, noop', baselineOf: peer, batch, fn: runnerDrain(genserver, batch) },
      { name: 'fire-and-forget runner, noop', baselineOf: peer, batch, fn: runnerDrain(fireAndForget, batch) },
    ];
    return { cases, teardown: async () => void (await Promise.all(runners.map((runner) => runner.stop({ drain: false })))) };
  },
};

const threadSuite: MicroSuite = {
  name: 'tiny-task-round-trip',
  async setup() {
    const threads = availableParallelism();
    // piscina as a user would start it: its defaults, a plain worker file, the same thread count.
    const pool = new Piscina({ filename: fileURLToPath(new URL('./piscina-spin.js', import.meta.url)), minThreads: threads, maxThreads: threads });
    // The same, with the one piscina setting the kit's pool changes that a round trip feels:
    // atomics 'disabled', so a thread waiting for work does not park in Atomics.wait and freeze
    // the timers of the sleep jobs it shares with (worker-pool-runner.ts). What that costs, alone.
    const eventLoopPool = new Piscina({ filename: fileURLToPath(new URL('./piscina-spin.js', import.meta.url)), minThreads: threads, maxThreads: threads, atomics: 'disabled' });
    const runner = await createRunner('worker-pool', { concurrency: threads });
    await Promise.all(Array.from({ length: threads * 2 }, () => Promise.all([pool.run(0), eventLoopPool.run(0)])));
    const batch = 20;
    const peer = 'piscina direct, plain worker (peer)';
    const cases: MicroCase[] = [
      {
        name: peer,
        batch,
        fn: async () => {
          for (let i = 0; i < batch; i++) await pool.run(0);
        },
      },
      {
        name: "piscina direct, atomics 'disabled' (the kit's setting)",
        baselineOf: peer,
        batch,
        fn: async () => {
          for (let i = 0; i < batch; i++) await eventLoopPool.run(0);
        },
      },
      {
        name: 'worker-pool submit + result, noop',
        baselineOf: peer,
        batch,
        fn: async () => {
          for (let i = 0; i < batch; i++) await (await runner.submit('noop', null)).result();
        },
      },
    ];
    return {
      cases,
      teardown: async () => {
        await runner.stop({ drain: false });
        await Promise.all([pool.destroy(), eventLoopPool.destroy()]);
      },
    };
  },
};

export const microSuites: MicroSuite[] = [contextSuite, drainSuite, threadSuite];
