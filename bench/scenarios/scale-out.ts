// Scale-out: throughput of 1, 2 and 4 worker processes (`need-a-queue worker`, i.e.
// worker-process.ts) against one queue, for noop and `sleep {ms: 10}` jobs, on each BullMQ
// backend among the run's subjects. The same setup across machines needs only a shared
// REDIS_URL / DATABASE_URL.
//
// How it works: the workers are spawned and waited for (`ready`) before the clock starts, so
// process start-up is not counted. The producer is the kit runner with `consume: false`; it
// submits every job at once and the clock stops when the last ticket's result arrives (via
// QueueEvents). Per-process concurrency is fixed, so for sleep jobs one process is capped
// near concurrency ÷ 10 ms and a second process should nearly double it (target ≥ 1.7×).

import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { Json, RunnerOptions } from '../../src/contract.ts';
import { createRunner } from '../../src/runners/registry.ts';
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

const CASES: readonly JobCase[] = [
  { label: 'noop', job: 'noop', data: null, concurrency: 50 },
  { label: 'sleep 10ms', job: 'sleep', data: { ms: 10 }, concurrency: 10 },
];

/** Jobs per drain: enough for a few seconds at the expected rate, small enough for CI. */
function jobsFor(backend: (typeof BACKENDS)[number], job: JobCase, profile: BenchContext['profile']): number {
  const scale = profile === 'full' ? 4 : 1;
  if (job.job === 'sleep') return 2000 * scale;
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

export async function drainOnce(backend: (typeof BACKENDS)[number], url: string, workers: number, jobCase: JobCase, jobs: number): Promise<number> {
  const queue = `scale-${randomUUID().slice(0, 8)}`;
  const options: RunnerOptions = backend === 'bullmq-redis' ? { redisUrl: url } : { databaseUrl: url };
  const producer = await createRunner(backend, { ...options, queue, tuning: { consume: false } });
  const { ready, children } = startWorkers(workers, ['--runner', backend, '--queue', queue, '--concurrency', String(jobCase.concurrency), '--url', url]);
  try {
    await ready;
    // Warm-up: one job end to end, so the producer's QueueEvents is already reading when the
    // clock starts (its first read begins a moment after it reports ready).
    await (await producer.submit('noop', null)).result({ timeoutMs: 30_000 });
    const started = performance.now();
    const tickets = await Promise.all(Array.from({ length: jobs }, () => producer.submit(jobCase.job, jobCase.data)));
    await Promise.all(tickets.map((t) => t.result({ timeoutMs: 300_000 })));
    return (jobs / (performance.now() - started)) * 1000;
  } finally {
    await stopWorkers(children);
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
            notes: { jobs, workers, concurrencyPerProcess: jobCase.concurrency, speedupVsOne: Number((median / single).toFixed(2)) },
          });
        }
      }
    }
    return measurements;
  },
};

export default scaleOut;
