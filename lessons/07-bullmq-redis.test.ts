// Proves lessons/07-bullmq-redis.md against real Redis and BullMQ through the kit's runner:
// what each Redis persistence setting keeps across a SIGKILL or SIGTERM (private servers, one
// per setting), retries with exponential backoff, delays, idempotent ids, priorities, the
// kit's timeout (and that BullMQ alone has none), and worker processes: jobs run in other
// processes, a SIGKILLed worker's job runs on another, SIGTERM stops one cleanly. Runs are
// counted from the lifecycle events of the runner that ran them or, across processes, from the
// effect ledger (src/ledger) keyed by payload uuid, never BullMQ ids.

import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Queue, QueueEvents } from 'bullmq';
import { describe, expect, it } from 'vitest';
import type { LifecycleEvent, Runner, RunnerOptions } from '../src/contract.ts';
import { JobFailedError } from '../src/errors.ts';
import { redisConnection } from '../src/runners/bullmq/backend.ts';
import type { Ledger } from '../src/ledger/ledger.ts';
import { faultTestScope, spawnWorker } from '../src/runners/bullmq/fault-helpers.ts';
import { createRunner } from '../src/runners/registry.ts';
import { testRedisUrl } from '../src/testing/services.ts';
import { PERSISTENCE_SETTINGS, persistenceTrial, settingName, type PersistenceResult } from './07-bullmq-redis/persistence.ts';
import { bulkThenUrgent, callWithDeadline, chargeOnce, retryFlakyCall, sendInHalfASecond } from './07-bullmq-redis/submit-options.ts';
import { normalise } from './support/normalise.ts';

const PREFIX = 'naq-lesson-07';

/** One line per lifecycle event, without times or ids. */
function describeEvents(events: readonly LifecycleEvent[]): string {
  return events.map((e) => `${e.type.padEnd(9)} attempt ${e.attempt}${e.error === undefined ? '' : `\n  ${e.error}`}`).join('\n');
}

describe('lesson 07: BullMQ on Redis', () => {
  const scope = faultTestScope();

  const newQueue = (): string => `lesson07-${randomUUID()}`;

  async function runner(queue: string, options: RunnerOptions = {}): Promise<Runner> {
    return scope.track(await createRunner('bullmq-redis', { redisUrl: testRedisUrl(), queue, ...options, tuning: { prefix: PREFIX, ...options.tuning } }));
  }

  function ledger(): Ledger {
    return scope.ledger();
  }

  it('persistence: memory only and snapshots lose every accepted job to a SIGKILL; a snapshot on SIGTERM and the append-only file keep them', async () => {
    const JOBS = 200;
    const results: PersistenceResult[] = [];
    for (const setting of PERSISTENCE_SETTINGS) results.push(await persistenceTrial(setting, JOBS));
    const byName = (name: string, stop: string) => results.find((r) => settingName(r.setting) === name && r.setting.stop === stop)!;
    expect(byName('memory only', 'SIGKILL').storedAfterRestart).toBe(0);
    // The id counter went with the jobs: BullMQ numbers from 1 again.
    expect(byName('memory only', 'SIGKILL').nextJobId).toBe('1');
    // No snapshot rule is due within a few seconds of the first write.
    expect(byName('snapshots (save rules)', 'SIGKILL').storedAfterRestart).toBe(0);
    expect(byName('snapshots (save rules)', 'SIGTERM').storedAfterRestart).toBe(JOBS);
    // A process kill leaves the OS page cache, so even everysec loses nothing here; a power cut would.
    expect(byName('AOF, fsync everysec', 'SIGKILL').storedAfterRestart).toBe(JOBS);
    expect(byName('AOF, fsync always', 'SIGKILL').storedAfterRestart).toBe(JOBS);
    const row = (cells: readonly string[]): string => cells.map((c, i) => c.padEnd([24, 9, 7, 6][i] ?? 0)).join('');
    const table = [
      row(['setting', 'signal', 'added', 'kept', 'next job id']),
      ...results.map((r) => row([settingName(r.setting), r.setting.stop, String(r.accepted), String(r.storedAfterRestart), r.nextJobId])),
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

  it('idempotent ids: the same id submitted twice is one job, run once; once BullMQ no longer holds it, the id runs again', async () => {
    const name = newQueue();
    const queue = await runner(name);
    const starts: LifecycleEvent[] = [];
    queue.onEvent((e) => e.type === 'started' && starts.push(e));
    const orderId = randomUUID();
    const [first, second] = await chargeOnce(queue, orderId);
    expect(second.id).toBe(first.id);
    await first.result({ timeoutMs: 10_000 });
    // Give a second run, if there were one, time to show.
    await sleep(300);
    expect(starts.map((e) => e.jobId)).toEqual([first.id]);
    const q = new Queue(name, { connection: redisConnection(testRedisUrl()), prefix: PREFIX });
    try {
      await q.remove(first.id);
    } finally {
      await q.close();
    }
    const [again] = await chargeOnce(queue, orderId);
    await again.result({ timeoutMs: 10_000 });
    expect(starts.map((e) => e.jobId)).toEqual([first.id, first.id]);
  });

  it('priorities: the urgent job submitted last runs first', async () => {
    const name = newQueue();
    const { bulk, urgent } = await bulkThenUrgent(await runner(name, { tuning: { consume: false } }));
    const labels = new Map([[urgent.id, 'urgent'], ...bulk.map((t, i): [string, string] => [t.id, `bulk-${i + 1}`])]);
    // One job at a time, so the order jobs became active is the run order.
    await runner(name, { concurrency: 1 });
    const connection = redisConnection(testRedisUrl());
    const q = new Queue(name, { connection, prefix: PREFIX });
    // Read back from the start of BullMQ's event stream, so no event is missed however early it came.
    const events = new QueueEvents(name, { connection, prefix: PREFIX, lastEventId: '0' });
    const order: string[] = [];
    events.on('active', ({ jobId }) => void order.push(labels.get(jobId) ?? jobId));
    try {
      await expect.poll(() => q.getJobCountByTypes('completed'), { timeout: 10_000, interval: 20 }).toBe(4);
      await expect.poll(() => order.length, { timeout: 10_000, interval: 20 }).toBe(4);
    } finally {
      await events.close();
      await q.close();
    }
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

  it('worker processes: jobs run in two other processes, none lost; a SIGKILLed worker\'s job runs on the other; SIGTERM stops one cleanly', { timeout: 60_000 }, async () => {
    const effects = ledger();
    const queue = newQueue();
    const producer = await runner(queue, { tuning: { consume: false } });
    // What `need-a-queue worker` runs (worker-process.ts), with a progress line a second.
    const args = ['--runner', 'bullmq-redis', '--queue', queue, '--concurrency', '2', '--url', testRedisUrl(), '--namespace', PREFIX, '--lock-duration', '1000', '--stalled-interval', '500', '--progress'];
    const workers = [spawnWorker(args), spawnWorker(args)];
    await Promise.all(workers.map((w) => w.ready));

    const uuids = Array.from({ length: 40 }, () => randomUUID());
    // `recorded` runs `sleep` and writes start and finish records, with the pid, to the ledger.
    for (const uuid of uuids) await producer.submit('recorded', effects.recorded(uuid, 'sleep', { ms: 20 }));
    await expect.poll(() => effects.outcomes({ uuids }).doneOnce, { timeout: 20_000, interval: 50 }).toBe(uuids.length);
    expect(new Set(finishPids(effects))).toEqual(new Set(workers.map((w) => w.child.pid)));
    expect(effects.outcomes({ uuids })).toMatchObject({ lost: 0, duplicated: 0 });

    // A long job; the worker whose progress line says it is running one gets SIGKILL.
    const long = randomUUID();
    const seen = workers.map((w) => w.output.length);
    await producer.submit('recorded', effects.recorded(long, 'sleep', { ms: 3000 }));
    // Only progress lines printed after the submit count: earlier ones describe the batch.
    const running = (w: (typeof workers)[number]): boolean =>
      w.output.slice(seen[workers.indexOf(w)]).filter((l) => l.startsWith('progress')).at(-1)?.includes('running=1') === true;
    await expect.poll(() => workers.some(running), { timeout: 10_000, interval: 50 }).toBe(true);
    const holder = workers.find(running)!;
    const survivor = workers.find((w) => w !== holder)!;
    holder.child.kill('SIGKILL');
    await holder.exited;
    await expect.poll(() => effects.counts().get(long) ?? 0, { timeout: 20_000, interval: 50 }).toBe(1);
    expect(finishPids(effects).at(-1)).toBe(survivor.child.pid);

    // SIGTERM while a job runs: the job finishes, then the worker exits 0. The job is three
    // progress ticks long, so the SIGTERM sent after the tick that shows it running still finds
    // it running on a loaded machine (at one tick long it was sometimes done first: finished=0).
    const last = randomUUID();
    const before = survivor.output.length;
    await producer.submit('recorded', effects.recorded(last, 'sleep', { ms: 3000 }));
    await expect.poll(() => survivor.output.slice(before).some((l) => l.startsWith('progress') && l.includes('running=1')), { timeout: 10_000, interval: 50 }).toBe(true);
    survivor.child.kill('SIGTERM');
    expect(await survivor.exited).toBe(0);
    expect(effects.counts().get(last)).toBe(1);
    const lines = survivor.output.filter((l) => !l.startsWith('progress')).map((l) => l.replace(/completed=\d+/, 'completed=<n>'));
    await expect(normalise(lines.join('\n'), [survivor.child.pid!])).toMatchFileSnapshot('./outputs/07-worker-process.txt');
  });

  it('a CPU-bound job longer than the lock stops its worker renewing it: another worker takes it and it runs twice', async () => {
    const effects = ledger();
    const queue = newQueue();
    const producer = await runner(queue, { tuning: { consume: false } });
    const args = ['--runner', 'bullmq-redis', '--queue', queue, '--concurrency', '1', '--url', testRedisUrl(), '--namespace', PREFIX, '--lock-duration', '1000', '--stalled-interval', '500'];
    const workers = [spawnWorker(args), spawnWorker(args)];
    await Promise.all(workers.map((w) => w.ready));
    const uuid = randomUUID();
    // 2.5 s of busy CPU, longer than the lock: the event loop that would renew it is blocked.
    await producer.submit('recorded', effects.recorded(uuid, 'cpu', { ms: 2500 }));
    await expect.poll(() => effects.counts().get(uuid) ?? 0, { timeout: 30_000, interval: 100 }).toBeGreaterThanOrEqual(2);
  }, 60_000);
});

/** The pid of each `finish` record, in the order the effects happened. */
function finishPids(effects: Ledger): number[] {
  return effects.records().filter((r) => r.kind === 'finish').map((r) => r.pid);
}
