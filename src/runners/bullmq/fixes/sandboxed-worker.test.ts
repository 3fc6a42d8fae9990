// The fix for bullmq-limits.test.ts "a CPU-bound job on the worker thread stops lock renewal
// and runs twice": the same catalogue `cpu` job (2.5 s of busy CPU), the same short
// lockDuration (1 s) and stalledInterval (0.5 s), the same two competing workers, but each
// Worker's processor is a sandbox (a child process, or a worker thread). The Worker's event
// loop keeps renewing the lock, so the job is never reclaimed: it runs exactly once, counted
// from the effect ledger the sandbox writes (keyed by payload uuid), from the Workers'
// `active` / `stalled` events and from BullMQ's own `attemptsStarted`.

import { randomUUID } from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Job, Worker } from 'bullmq';
import { afterEach, describe, expect, it } from 'vitest';
import type { Runner } from '../../../contract.ts';
import { testDatabaseUrl, testRedisUrl } from '../../../testing/services.ts';
import { createRunner } from '../../registry.ts';
import { createLedger, type Ledger } from '../../../ledger/ledger.ts';
import { startSandboxedWorker } from './sandboxed-worker.ts';

// Exactly the settings of the unfixed test.
const LOCK_DURATION = 1000;
const STALLED_INTERVAL = 500;
const CPU_MS = 2500;

const cases = [
  { backend: 'redis', sandbox: 'child process', useWorkerThreads: false },
  { backend: 'redis', sandbox: 'worker thread', useWorkerThreads: true },
  { backend: 'postgres', sandbox: 'child process', useWorkerThreads: false },
] as const;

describe('fix: a CPU-bound job in a sandboxed processor', () => {
  const workers: Worker[] = [];
  const runners: Runner[] = [];
  const ledgers: Ledger[] = [];
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.close(true).catch(() => undefined)));
    await Promise.all(runners.splice(0).map((r) => r.stop({ drain: false }).catch(() => undefined)));
    for (const l of ledgers.splice(0)) l.remove();
  });

  it.each(cases)('keeps its lock renewed and runs exactly once ($backend, sandbox in a $sandbox), with the main event loop free', async ({ backend, useWorkerThreads }) => {
    const queue = `cpu-sandboxed-${randomUUID()}`;
    const ledger = createLedger();
    ledgers.push(ledger);
    const url = backend === 'redis' ? testRedisUrl() : testDatabaseUrl();
    const namespace = backend === 'redis' ? undefined : 'naq_test';
    // The producer only stores jobs; the sandboxed Workers run them.
    const producer = await createRunner(backend === 'redis' ? 'bullmq-redis' : 'bullmq-postgres', {
      ...(backend === 'redis' ? { redisUrl: url } : { databaseUrl: url }),
      queue,
      tuning: { consume: false, ...(namespace === undefined ? {} : { schema: namespace }) },
    });
    runners.push(producer);
    // Two competing Workers, as in the unfixed test: if the lock lapsed, the other one would take the job.
    const started: string[] = [];
    const stalled: string[] = [];
    const completed: string[] = [];
    const attemptsStarted: number[] = [];
    for (let i = 0; i < 2; i++) {
      // #region start
      const worker = await startSandboxedWorker({
        kind: backend, url, queue, ...(namespace === undefined ? {} : { namespace }),
        concurrency: 1, useWorkerThreads, lockDuration: LOCK_DURATION, stalledInterval: STALLED_INTERVAL,
      });
      // #endregion start
      workers.push(worker);
      worker.on('active', (job: Job) => started.push(job.id ?? ''));
      worker.on('stalled', (jobId: string) => stalled.push(jobId));
      worker.on('completed', (job: Job) => (completed.push(job.id ?? ''), attemptsStarted.push(job.attemptsStarted)));
    }

    const uuid = randomUUID();
    const lag = monitorEventLoopDelay({ resolution: 10 });
    const ticket = await producer.submit('recorded', ledger.recorded(uuid, 'cpu', { ms: CPU_MS }));
    await expect.poll(() => started.length, { timeout: 10_000, interval: 20 }).toBe(1);
    lag.enable();
    await expect.poll(() => completed.length, { timeout: 15_000, interval: 50 }).toBe(1);
    lag.disable();
    // One more lockDuration + 2 stalledIntervals: time for a lapsed lock to be reclaimed and re-run.
    await sleep(LOCK_DURATION + 2 * STALLED_INTERVAL);

    const maxLagMs = lag.max / 1e6;
    const effects = ledger.records().filter((r) => r.kind === 'finish');
    console.info(`[cpu job, sandboxed in a ${useWorkerThreads ? 'worker thread' : 'child process'}, ${backend}] ran ${effects.length} time(s); main thread max event-loop delay ${maxLagMs.toFixed(1)} ms during the ${CPU_MS} ms job`);

    expect(ledger.counts().get(uuid)).toBe(1);
    expect(started).toHaveLength(1);
    expect(stalled).toEqual([]);
    expect(completed).toEqual([ticket.id]);
    expect(attemptsStarted).toEqual([1]);
    // It ran off the main thread: another process, or another thread of this one.
    const { pid, thread } = effects[0] ?? { pid: 0, thread: 0 };
    if (useWorkerThreads) {
      expect(pid).toBe(process.pid);
      expect(thread).not.toBe(0);
    } else {
      expect(pid).not.toBe(process.pid);
    }
    // While the sandbox spun, this thread's event loop kept answering: the worst delay is far
    // below the job's 2.5 s, and below lockDuration / 2, the slack a lock renewal has.
    expect(maxLagMs).toBeLessThan(LOCK_DURATION / 2);
  });

  // Control: the two Workers above share one process, unlike the unfixed test's two worker
  // processes. This proves the harness still sees a duplicate when the lock does lapse: the
  // same sandboxed setup with lock renewal switched off (renew every minute, lock 1 s).
  it('control: the same harness counts the job twice when the lock is not renewed', async () => {
    const queue = `cpu-sandboxed-control-${randomUUID()}`;
    const ledger = createLedger();
    ledgers.push(ledger);
    const url = testRedisUrl();
    const producer = await createRunner('bullmq-redis', { redisUrl: url, queue, tuning: { consume: false } });
    runners.push(producer);
    const started: string[] = [];
    for (let i = 0; i < 2; i++) {
      const worker = await startSandboxedWorker({
        kind: 'redis', url, queue, concurrency: 1, lockDuration: LOCK_DURATION, lockRenewTime: 60_000, stalledInterval: STALLED_INTERVAL,
        onError: () => undefined, // the first run's completion fails: its lock is gone
      });
      workers.push(worker);
      worker.on('active', (job: Job) => started.push(job.id ?? ''));
    }
    const uuid = randomUUID();
    await producer.submit('recorded', ledger.recorded(uuid, 'cpu', { ms: CPU_MS }));
    await expect.poll(() => ledger.counts().get(uuid) ?? 0, { timeout: 15_000, interval: 100 }).toBeGreaterThanOrEqual(2);
    console.info(`[control: sandboxed, lock not renewed] started ${started.length} times, ran ${ledger.counts().get(uuid)} times for one submit`);
    expect(started.length).toBeGreaterThanOrEqual(2);
  });
});
