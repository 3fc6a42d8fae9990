// SIGKILL of a worker process mid-batch, then a fresh worker: stalled-
// job recovery must finish every accepted job. Counted from a ledger outside the queue, keyed by
// payload uuid: lost must be 0; duplicates (effect written, ack lost with the process) are
// allowed by at-least-once and reported. Also: SIGTERM stops a worker gracefully. Every test
// ends with a canary job that must complete.

import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Runner, RunnerOptions } from '../../contract.ts';
import { testDatabaseUrl, testRedisUrl } from '../../testing/services.ts';
import { createRunner } from '../registry.ts';
import { faultTestScope, spawnWorker } from './fault-helpers.ts';

const backends = [
  { id: 'bullmq-redis', url: testRedisUrl, opts: (url: string): RunnerOptions => ({ redisUrl: url }), ns: 'naq-fault' },
  { id: 'bullmq-postgres', url: testDatabaseUrl, opts: (url: string): RunnerOptions => ({ databaseUrl: url }), ns: 'naq_fault' },
] as const;

const BATCH = 200;

describe.each(backends)('$id worker processes', ({ id, url, opts, ns }) => {
  const scope = faultTestScope();

  async function producer(queue: string): Promise<Runner> {
    const nsKey = id === 'bullmq-redis' ? 'prefix' : 'schema';
    return scope.track(await createRunner(id, { ...opts(url()), queue, tuning: { consume: false, [nsKey]: ns } }));
  }

  function worker(queue: string, extra: string[] = []) {
    return spawnWorker(['--runner', id, '--queue', queue, '--concurrency', '10', '--url', url(), '--namespace', ns, '--lock-duration', '2000', '--stalled-interval', '1000', ...extra]);
  }

  it(`SIGKILL mid-batch of ${BATCH}, fresh worker: every job done, none lost, duplicates counted`, async () => {
    const queue = `kill-${randomUUID()}`;
    const ledger = scope.ledger();
    const submit = await producer(queue);
    const uuids = Array.from({ length: BATCH }, () => randomUUID());
    for (const uuid of uuids) await submit.submit('recorded', ledger.recorded(uuid, 'sleep', { ms: 50 }));

    const first = worker(queue);
    await first.ready;
    await expect.poll(() => ledger.counts().size, { timeout: 20_000, interval: 20 }).toBeGreaterThanOrEqual(40);
    first.child.kill('SIGKILL');
    await first.exited;
    const atKill = ledger.outcomes({ uuids });
    expect(atKill.lost).toBeGreaterThan(0);

    const killedAt = performance.now();
    const second = worker(queue);
    await second.ready;
    await expect.poll(() => ledger.outcomes({ uuids }).lost, { timeout: 30_000, interval: 100 }).toBe(0);
    const recoveredMs = Math.round(performance.now() - killedAt);
    const final = ledger.outcomes({ uuids });
    expect(final.done).toBe(BATCH);
    // At most the jobs in flight at the kill (concurrency 10) can run twice.
    expect(final.duplicated).toBeLessThanOrEqual(10);
    console.info(`[${id}] SIGKILL after ${atKill.done}/${BATCH}: done ${final.done}, lost ${final.lost}, duplicated ${final.duplicated}, all done ${recoveredMs} ms after the kill`);

    const canary = randomUUID();
    await submit.submit('recorded', ledger.recorded(canary, 'sleep', { ms: 0 }));
    await expect.poll(() => ledger.counts().get(canary), { timeout: 10_000 }).toBe(1);
  });

  it('SIGTERM: the worker finishes in-flight jobs, leaves waiting ones stored, exits 0', async () => {
    const queue = `term-${randomUUID()}`;
    const ledger = scope.ledger();
    const submit = await producer(queue);
    const uuids = Array.from({ length: 40 }, () => randomUUID());
    for (const uuid of uuids) await submit.submit('recorded', ledger.recorded(uuid, 'sleep', { ms: 200 }));
    const w = worker(queue, ['--progress']);
    await w.ready;
    await expect.poll(() => ledger.counts().size, { timeout: 10_000, interval: 20 }).toBeGreaterThanOrEqual(10);
    w.child.kill('SIGTERM');
    expect(await w.exited).toBe(0);
    const stopped = w.output.find((l) => l.startsWith('stopped ')) ?? '';
    const after = ledger.outcomes({ uuids });
    // Nothing abandoned, nothing run twice; what did not start is still stored.
    expect(stopped).toMatch(/abandoned=0/);
    expect(stopped).toContain(`stored=${40 - after.done}`);
    expect(after.duplicated).toBe(0);

    const next = worker(queue);
    await next.ready;
    await expect.poll(() => ledger.outcomes({ uuids }).done, { timeout: 20_000 }).toBe(40);
    expect(ledger.outcomes({ uuids }).duplicated).toBe(0);
    const canary = randomUUID();
    await submit.submit('recorded', ledger.recorded(canary, 'sleep', { ms: 0 }));
    await expect.poll(() => ledger.counts().get(canary), { timeout: 10_000 }).toBe(1);
  });
});
