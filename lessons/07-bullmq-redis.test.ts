// Proves lessons/07-bullmq-redis.md against real Redis and BullMQ through the kit's runner:
// what each Redis persistence setting keeps across a SIGKILL or SIGTERM (private servers, one
// per setting), retries with exponential backoff, delays, idempotent ids, priorities, the
// kit's timeout (and that BullMQ alone has none), and worker processes: jobs run in other
// processes, a SIGKILLed worker's job runs on another, SIGTERM stops one cleanly. Runs are
// counted from an fsynced ledger keyed by payload uuid (fault-helpers.ts), never BullMQ ids.

import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { Queue } from 'bullmq';
import { afterEach, describe, expect, it } from 'vitest';
import type { LifecycleEvent, Runner, RunnerOptions } from '../src/contract.ts';
import { JobFailedError } from '../src/errors.ts';
import { redisConnection } from '../src/runners/bullmq/bullmq-runner.ts';
import { createLedger, killAllWorkers, spawnWorker, tally, type Ledger } from '../src/runners/bullmq/fault-helpers.ts';
import { createRunner } from '../src/runners/registry.ts';
import { testRedisUrl } from '../src/testing/services.ts';
import { PERSISTENCE_SETTINGS, persistenceTrial, type PersistenceResult } from './07-bullmq-redis/persistence.ts';
import { bulkThenUrgent, callWithDeadline, chargeOnce, retryFlakyCall, sendInHalfASecond } from './07-bullmq-redis/submit-options.ts';
import { normalise } from './support/normalise.ts';

const PREFIX = 'naq-lesson-07';

/** One line per lifecycle event, without times or ids. */
function describeEvents(events: readonly LifecycleEvent[]): string {
  return events.map((e) => `${e.type.padEnd(9)} attempt ${e.attempt}${e.error === undefined ? '' : `: ${e.error}`}`).join('\n');
}

describe('lesson 07: BullMQ on Redis', () => {
  const runners: Runner[] = [];
  const ledgers: Ledger[] = [];
  afterEach(async () => {
    await killAllWorkers();
    await Promise.all(runners.splice(0).map((r) => r.stop({ drain: false }).catch(() => undefined)));
    for (const l of ledgers.splice(0)) l.remove();
  });

  const newQueue = (): string => `lesson07-${randomUUID()}`;

  async function runner(queue: string, options: RunnerOptions = {}): Promise<Runner> {
    const r = await createRunner('bullmq-redis', { redisUrl: testRedisUrl(), queue, ...options, tuning: { prefix: PREFIX, ...options.tuning } });
    runners.push(r);
    return r;
  }

  function ledger(): Ledger {
    const l = createLedger();
    ledgers.push(l);
    return l;
  }

  it('persistence: memory only and snapshots lose every accepted job to a SIGKILL; a snapshot on SIGTERM and the append-only file keep them', async () => {
    const JOBS = 200;
    const results: PersistenceResult[] = [];
    for (const setting of PERSISTENCE_SETTINGS) results.push(await persistenceTrial(setting, JOBS));
    const byName = (name: string, stop: string) => results.find((r) => r.setting.name === name && r.setting.stop === stop)!;
    expect(byName('appendonly no, save ""', 'SIGKILL').storedAfterRestart).toBe(0);
    // The id counter went with the jobs: BullMQ numbers from 1 again.
    expect(byName('appendonly no, save ""', 'SIGKILL').nextJobId).toBe('1');
    // No snapshot rule is due within a few seconds of the first write.
    expect(byName('appendonly no, default save rules', 'SIGKILL').storedAfterRestart).toBe(0);
    expect(byName('appendonly no, default save rules', 'SIGTERM').storedAfterRestart).toBe(JOBS);
    // A process kill leaves the OS page cache, so even everysec loses nothing here; a power cut would.
    expect(byName('appendonly yes, appendfsync everysec', 'SIGKILL').storedAfterRestart).toBe(JOBS);
    expect(byName('appendonly yes, appendfsync always', 'SIGKILL').storedAfterRestart).toBe(JOBS);
    const table = [
      `${'setting'.padEnd(38)}${'stopped by'.padEnd(12)}${'accepted'.padEnd(10)}${'left after restart'.padEnd(20)}next job id`,
      ...results.map((r) => `${r.setting.name.padEnd(38)}${r.setting.stop.padEnd(12)}${String(r.accepted).padEnd(10)}${String(r.storedAfterRestart).padEnd(20)}${r.nextJobId}`),
    ];
    await expect(normalise(table.join('\n'))).toMatchFileSnapshot('./outputs/07-persistence.txt');
  }, 60_000);

  it('retries and backoff: three attempts, the waits between them doubling', async () => {
    const queue = await runner(newQueue());
    const events: LifecycleEvent[] = [];
    queue.onEvent((e) => events.push(e));
    const ticket = await retryFlakyCall(queue);
    const value = await ticket.result({ timeoutMs: 10_000 });
    expect(value).toEqual({ attempt: 3 });
    expect(events.map((e) => e.type)).toEqual(['accepted', 'started', 'retrying', 'started', 'retrying', 'started', 'completed']);
    const starts = events.filter((e) => e.type === 'started').map((e) => e.at);
    // Exponential backoff from 100 ms: at least 100 ms before attempt 2, 200 ms before attempt 3.
    expect(starts[1]! - starts[0]!).toBeGreaterThanOrEqual(100);
    expect(starts[2]! - starts[1]!).toBeGreaterThanOrEqual(200);
    await expect(normalise(`${describeEvents(events)}\nresult: ${JSON.stringify(value)}`)).toMatchFileSnapshot('./outputs/07-retries.txt');
  });

  it('delays: a delayed job starts no sooner than its delay after it was added', async () => {
    const name = newQueue();
    const ticket = await sendInHalfASecond(await runner(name));
    await ticket.result({ timeoutMs: 10_000 });
    // BullMQ's own timestamps: added (timestamp) and taken by a worker (processedOn).
    const q = new Queue(name, { connection: redisConnection(testRedisUrl()), prefix: PREFIX });
    try {
      const job = await q.getJob(ticket.id);
      expect(job!.processedOn! - job!.timestamp).toBeGreaterThanOrEqual(500);
    } finally {
      await q.close();
    }
  });

  it('idempotent ids: the same id submitted twice is one job, run once', async () => {
    const effects = ledger();
    const name = newQueue();
    const queue = await runner(name, { tuning: { ledger: effects.path } });
    const orderId = randomUUID();
    const [first, second] = await chargeOnce(queue, orderId);
    expect(second.id).toBe(first.id);
    await first.result({ timeoutMs: 10_000 });
    // Give a second run, if there were one, time to show in the ledger.
    await sleep(300);
    expect(effects.counts().get(orderId)).toBe(1);
    // Once BullMQ no longer holds the job, the same id is a new job.
    const q = new Queue(name, { connection: redisConnection(testRedisUrl()), prefix: PREFIX });
    try {
      await q.remove(first.id);
    } finally {
      await q.close();
    }
    const [again] = await chargeOnce(queue, orderId);
    await again.result({ timeoutMs: 10_000 });
    expect(effects.counts().get(orderId)).toBe(2);
  });

  it('priorities: the urgent job submitted last runs first', async () => {
    const effects = ledger();
    const name = newQueue();
    await bulkThenUrgent(await runner(name, { tuning: { consume: false } }));
    // One job at a time, so the ledger's order is the run order.
    await runner(name, { concurrency: 1, tuning: { ledger: effects.path } });
    await expect.poll(() => effects.counts().size, { timeout: 10_000, interval: 20 }).toBe(4);
    const order = [...effects.counts().keys()];
    expect(order).toEqual(['urgent', 'bulk-1', 'bulk-2', 'bulk-3']);
    await expect(normalise(`run order: ${order.join(', ')}`)).toMatchFileSnapshot('./outputs/07-priorities.txt');
  });

  it('timeouts: BullMQ alone keeps a hanging job active; the kit fails the attempt at timeoutMs', async () => {
    // A lock of 1 s, checked every 250 ms: renewed every 500 ms, so a busy machine does not expire it.
    const bare = await runner(newQueue(), { tuning: { lockDuration: 1000, stalledInterval: 250 } });
    const bareEvents: LifecycleEvent[] = [];
    bare.onEvent((e) => bareEvents.push(e));
    await bare.submit('hang', null, { attempts: 3 });
    // Two lock durations, eight stalled checks: the lock is renewed, so nothing stalls, retries or fails.
    await sleep(2000);
    expect(bareEvents.map((e) => e.type)).toEqual(['accepted', 'started']);

    const queue = await runner(newQueue());
    const events: LifecycleEvent[] = [];
    queue.onEvent((e) => events.push(e));
    const ticket = await callWithDeadline(queue);
    const error: unknown = await ticket.result({ timeoutMs: 10_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JobFailedError);
    expect(events.map((e) => e.type)).toEqual(['accepted', 'started', 'failed']);
    const lines = ['without timeoutMs, after two lock durations:', describeEvents(bareEvents), '', 'with timeoutMs: 300:', describeEvents(events)];
    await expect(normalise(lines.join('\n').replace(/\(\d+\)/g, '(<job id>)'))).toMatchFileSnapshot('./outputs/07-timeouts.txt');
  });

  it('worker processes: jobs run in two other processes, none lost; a SIGKILLed worker\'s job runs on the other; SIGTERM stops one cleanly', async () => {
    const effects = ledger();
    const queue = newQueue();
    const producer = await runner(queue, { tuning: { consume: false } });
    // What `need-a-queue worker` runs (worker-process.ts), with a ledger and a progress line a second.
    const args = ['--runner', 'bullmq-redis', '--queue', queue, '--concurrency', '2', '--url', testRedisUrl(), '--namespace', PREFIX, '--ledger', effects.path, '--lock-duration', '1000', '--stalled-interval', '500', '--progress'];
    const workers = [spawnWorker(args), spawnWorker(args)];
    await Promise.all(workers.map((w) => w.ready));

    const uuids = Array.from({ length: 40 }, () => randomUUID());
    for (const uuid of uuids) await producer.submit('sleep', { ms: 20, uuid });
    await expect.poll(() => tally(uuids, effects.counts()).lost, { timeout: 20_000, interval: 50 }).toBe(0);
    expect(new Set(readPids(effects))).toEqual(new Set(workers.map((w) => w.child.pid)));
    expect(tally(uuids, effects.counts()).duplicated).toBe(0);

    // A long job; the worker whose progress line says it is running one gets SIGKILL.
    const long = randomUUID();
    const seen = workers.map((w) => w.output.length);
    await producer.submit('sleep', { ms: 3000, uuid: long });
    // Only progress lines printed after the submit count: earlier ones describe the batch.
    const running = (w: (typeof workers)[number]): boolean =>
      w.output.slice(seen[workers.indexOf(w)]).filter((l) => l.startsWith('progress')).at(-1)?.includes('running=1') === true;
    await expect.poll(() => workers.some(running), { timeout: 10_000, interval: 50 }).toBe(true);
    const holder = workers.find(running)!;
    const survivor = workers.find((w) => w !== holder)!;
    holder.child.kill('SIGKILL');
    await holder.exited;
    await expect.poll(() => effects.counts().get(long) ?? 0, { timeout: 20_000, interval: 50 }).toBe(1);
    expect(readPids(effects).at(-1)).toBe(survivor.child.pid);

    // SIGTERM while a job runs: the job finishes, then the worker exits 0.
    const last = randomUUID();
    const before = survivor.output.length;
    await producer.submit('sleep', { ms: 1000, uuid: last });
    await expect.poll(() => survivor.output.slice(before).some((l) => l.startsWith('progress') && l.includes('running=1')), { timeout: 10_000, interval: 50 }).toBe(true);
    survivor.child.kill('SIGTERM');
    expect(await survivor.exited).toBe(0);
    expect(effects.counts().get(last)).toBe(1);
    const lines = survivor.output.filter((l) => !l.startsWith('progress')).map((l) => l.replace(/completed=\d+/, 'completed=<n>'));
    await expect(normalise(lines.join('\n'), [survivor.child.pid!])).toMatchFileSnapshot('./outputs/07-worker-process.txt');
  });
});

/** The pid on each ledger line (`uuid pid attempt`), in the order the runs finished. */
function readPids(effects: Ledger): number[] {
  let text = '';
  try {
    text = readFileSync(effects.path, 'utf8');
  } catch {
    return [];
  }
  return text.split('\n').filter((l) => l !== '').map((l) => Number(l.split(' ')[1]));
}
