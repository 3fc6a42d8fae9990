// Kit ÷ peer ratios for issue 15's targets, measured side by side in one process: every round
// drains each subject once, in an order that rotates every round, so a busy spell of the machine
// lands on kit and peer alike. Prints the median and the min–max of the per-round ratios.
//   node --expose-gc --import tsx bench/micro/peer-ratios.ts [rounds=9] [filter]
// With --expose-gc every drain starts after a full collection: otherwise one side pays for the
// garbage the other left (a p-queue drain right after a kit drain read up to 4× slower).
// (`need-a-queue bench --scenarios micro` times single operations; this times drains at c=50.)

import { availableParallelism } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import PQueue from 'p-queue';
import { Piscina } from 'piscina';
import type { Json, Runner } from '../../src/contract.ts';
import { runJob } from '../../src/jobs/catalogue.ts';
import { TaskSupervisor } from '../../src/otp/task-supervisor.ts';
import { createRunner } from '../../src/runners/registry.ts';
import { SUBMIT_WINDOW, drain } from '../drive.ts';
import { median } from '../stats.ts';

const rounds = Number(process.argv[2] ?? 9);
const filter = process.argv[3] ?? '';
const C = 50;

type Drainer = () => Promise<number>; // jobs/s (or ms per job for round trips)

/** Repeats a drain until together they last `ms`, so a fast subject is not timed over one GC pause. */
function lasting(ms: number, once: () => Promise<number>, jobs: number): Drainer {
  return async () => {
    let total = 0;
    let elapsed = 0;
    do {
      const rate = await once();
      elapsed += (jobs / rate) * 1000;
      total += jobs;
    } while (elapsed < ms);
    return (total / elapsed) * 1000;
  };
}

/**
 * Issues `jobs` as drive.ts's drain submits to a runner: SUBMIT_WINDOW at a time, awaiting each
 * window's acceptances (not the jobs) before the next. All at once would time p-queue's line
 * at a depth no runner sees here, where its dequeue (Array#shift) is O(n).
 */
async function windowed(jobs: number, accept: () => Promise<unknown>): Promise<void> {
  for (let sent = 0; sent < jobs; sent += SUBMIT_WINDOW) {
    const batch: Promise<unknown>[] = [];
    for (let i = sent; i < Math.min(jobs, sent + SUBMIT_WINDOW); i++) batch.push(accept());
    await Promise.all(batch);
  }
}

async function pqueueDrain(jobs: number, fn: () => Promise<unknown>): Promise<number> {
  const queue = new PQueue({ concurrency: C });
  const start = performance.now();
  // p-queue accepts at once (add's promise is the job's result, not its acceptance).
  await windowed(jobs, () => {
    void queue.add(fn);
    return Promise.resolve();
  });
  await queue.onIdle();
  return (jobs / (performance.now() - start)) * 1000;
}

async function kitDrain(runner: Pick<Runner, 'submit' | 'onEvent'>, job: string, data: Json, jobs: number): Promise<number> {
  const { elapsedMs } = await drain(runner, job, data, jobs);
  return (jobs / elapsedMs) * 1000;
}

async function supervisorDrain(jobs: number, fn: () => Promise<unknown>): Promise<number> {
  const supervisor = new TaskSupervisor({ concurrency: C, maxQueue: jobs });
  const start = performance.now();
  await windowed(jobs, () => supervisor.start(fn));
  await supervisor.idle();
  return (jobs / (performance.now() - start)) * 1000;
}

interface Pair {
  readonly name: string;
  readonly kit: Drainer;
  readonly peer: Drainer;
  readonly better: 'higher' | 'lower';
}

const noop = (): Promise<null> => Promise.resolve(null);
const runners: Record<string, Runner> = {};
const pairs: Pair[] = [];
const N_NOOP = 20_000;
const N_SLEEP = 3_000;
const sleepData = { ms: 5 };
const sleepFn = (): Promise<Json> => sleep(5).then(() => ({ slept: 5 }));

for (const id of ['task', 'genserver', 'stage'] as const) {
  if (!id.includes(filter) && filter !== '') continue;
  // A drain's jobs are all accepted before they finish: a line deep enough for N_NOOP (stage has none).
  runners[id] = await createRunner(id, id === 'stage' ? { concurrency: C } : { concurrency: C, maxQueue: 100_000 });
  const runner = runners[id];
  pairs.push({ name: `${id} ÷ p-queue, noop c=50 (jobs/s)`, kit: lasting(300, () => kitDrain(runner, 'noop', null, N_NOOP), N_NOOP), peer: lasting(300, () => pqueueDrain(N_NOOP, noop), N_NOOP), better: 'higher' });
  pairs.push({ name: `${id} ÷ p-queue, sleep 5 ms c=50 (jobs/s)`, kit: () => kitDrain(runner, 'sleep', sleepData, N_SLEEP), peer: () => pqueueDrain(N_SLEEP, sleepFn), better: 'higher' });
}
if (filter === '' || 'supervisor'.includes(filter)) {
  pairs.push({ name: 'TaskSupervisor ÷ p-queue, noop c=50', kit: lasting(300, () => supervisorDrain(N_NOOP, noop), N_NOOP), peer: lasting(300, () => pqueueDrain(N_NOOP, noop), N_NOOP), better: 'higher' });
}
if (filter === '' || 'catalogue'.includes(filter)) {
  pairs.push({
    name: 'p-queue + runJob noop ÷ p-queue bare noop',
    kit: lasting(300, () => pqueueDrain(N_NOOP, () => runJob('noop', null)), N_NOOP),
    peer: lasting(300, () => pqueueDrain(N_NOOP, noop), N_NOOP),
    better: 'higher',
  });
}

let pool: Piscina | undefined;
if (filter === '' || 'worker-pool'.includes(filter)) {
  const threads = availableParallelism();
  runners['worker-pool'] = await createRunner('worker-pool', { concurrency: threads });
  const kitPool = runners['worker-pool'];
  const spinFile = fileURLToPath(new URL('./piscina-spin.js', import.meta.url));
  // piscina as a user would start it: its defaults, the same thread count.
  pool = new Piscina({ filename: spinFile, minThreads: threads, maxThreads: threads });
  const direct = pool;
  await Promise.all(Array.from({ length: threads * 2 }, () => direct.run(0)));
  // Enough trips to last a while: a few milliseconds of them read anywhere from well below to
  // several times piscina, round to round.
  const TRIPS = 5_000;
  pairs.push({
    name: 'worker-pool ÷ piscina, tiny-task round trip (µs, lower is better)',
    kit: async () => {
      const start = performance.now();
      for (let i = 0; i < TRIPS; i++) await (await kitPool.submit('noop', null)).result();
      return ((performance.now() - start) / TRIPS) * 1000;
    },
    peer: async () => {
      const start = performance.now();
      for (let i = 0; i < TRIPS; i++) await direct.run(0);
      return ((performance.now() - start) / TRIPS) * 1000;
    },
    better: 'lower',
  });
  const CPU_JOBS = 200;
  pairs.push({
    name: `worker-pool ÷ piscina, cpu 2 ms c=${threads} (jobs/s)`,
    kit: () => kitDrain(kitPool, 'cpu', { ms: 2 }, CPU_JOBS),
    peer: async () => {
      const start = performance.now();
      await Promise.all(Array.from({ length: CPU_JOBS }, () => direct.run(2)));
      return (CPU_JOBS / (performance.now() - start)) * 1000;
    },
    better: 'higher',
  });
}

const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
/** One side's figure, after a full collection so it pays only for its own garbage. */
function measured(side: Drainer): Promise<number> {
  gc();
  return side();
}

// Warm-up: two unrecorded rounds.
for (let w = 0; w < 2; w++) for (const pair of pairs) await pair.kit().then(pair.peer);
const ratios = new Map<string, number[]>();
for (let r = 0; r < rounds; r++) {
  for (let i = 0; i < pairs.length; i++) {
    const pair = pairs[(i + r) % pairs.length];
    if (pair === undefined) continue;
    // Kit first on even rounds, peer first on odd ones.
    let kit: number;
    let peer: number;
    if (r % 2 === 0) {
      kit = await measured(pair.kit);
      peer = await measured(pair.peer);
    } else {
      peer = await measured(pair.peer);
      kit = await measured(pair.kit);
    }
    ratios.set(pair.name, [...(ratios.get(pair.name) ?? []), kit / peer]);
  }
}
for (const pair of pairs) {
  const values = ratios.get(pair.name) ?? [];
  process.stdout.write(`${pair.name.padEnd(66)} ${median(values).toFixed(2)}  (${Math.min(...values).toFixed(2)}–${Math.max(...values).toFixed(2)})\n`);
}
for (const runner of Object.values(runners)) await runner.stop({ drain: false });
await pool?.destroy();
