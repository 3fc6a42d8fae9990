// Server restarts under BullMQ: the kit's own private
// redis-server, SIGKILLed and started again, with `appendfsync always` (no accepted job may be
// lost) and with persistence off (everything is lost, and the test counts it rather than
// hiding it); and embedded PostgreSQL restarted under a running worker (nothing lost, the
// worker reconnects). Counted from an fsynced ledger keyed by payload uuid; each test ends
// with a canary job that must complete.

import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { Runner } from '../../contract.ts';
import { startEmbeddedPostgres, startPrivateRedis } from '../../services/index.ts';
import { createRunner } from '../registry.ts';
import { createLedger, type Ledger } from '../../ledger/ledger.ts';

const BATCH = 300;

describe('server restarts', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  });

  function track<T extends Runner>(runner: T): T {
    cleanups.push(() => runner.stop({ drain: false }));
    return runner;
  }

  function ledger(): Ledger {
    const l = createLedger();
    cleanups.push(() => Promise.resolve(l.remove()));
    return l;
  }

  it.each([
    { name: 'appendonly yes, appendfsync always', persist: true, expectedLost: 0 },
    { name: 'persistence off (appendonly no, save "")', persist: false, expectedLost: BATCH },
  ])('Redis SIGKILL + restart with $name: lost counted', async ({ persist, expectedLost }) => {
    const redis = await startPrivateRedis(persist ? { appendonly: true, appendfsync: 'always' } : { appendonly: false, save: '' });
    cleanups.push(() => redis.stop());
    const queue = `restart-${randomUUID()}`;
    const effects = ledger();
    const producer = await createRunner('bullmq-redis', { redisUrl: redis.url, queue, tuning: { consume: false } });
    const uuids = Array.from({ length: BATCH }, () => randomUUID());
    for (const uuid of uuids) await producer.submit('recorded', effects.recorded(uuid, 'sleep', { ms: 0 }));
    expect((await producer.stop()).stored).toBe(BATCH);

    await redis.kill('SIGKILL');
    await redis.start();

    const consumer = track(await createRunner('bullmq-redis', { redisUrl: redis.url, queue, concurrency: 10, }));
    const canary = randomUUID();
    await (await consumer.submit('recorded', effects.recorded(canary, 'sleep', { ms: 0 }))).result({ timeoutMs: 20_000 });
    // FIFO: survivors were ahead of the canary; a short grace covers the last in flight.
    await expect.poll(() => effects.outcomes({ uuids }).lost, { timeout: 10_000 }).toBe(expectedLost);
    const final = effects.outcomes({ uuids });
    console.info(`[redis ${persist ? 'appendfsync always' : 'no persistence'}] ${BATCH} accepted, SIGKILL + restart: done ${final.done}, lost ${final.lost}, duplicated ${final.duplicated}`);
    expect(final.duplicated).toBe(0);
  });

  it('embedded PostgreSQL restarted (fast) under a running worker: none lost, canary completes', async () => {
    const postgres = await startEmbeddedPostgres();
    cleanups.push(() => postgres.stop());
    const queue = `restart-${randomUUID()}`;
    const effects = ledger();
    const producer = track(await createRunner('bullmq-postgres', { databaseUrl: postgres.url, queue, tuning: { consume: false } }));
    const uuids = Array.from({ length: 200 }, () => randomUUID());
    for (const uuid of uuids) await producer.submit('recorded', effects.recorded(uuid, 'sleep', { ms: 20 }));
    const consumer = track(
      await createRunner('bullmq-postgres', { databaseUrl: postgres.url, queue, concurrency: 5, tuning: { lockDuration: 2000, stalledInterval: 1000, drainDelay: 1 } }),
    );
    await expect.poll(() => effects.counts().size, { timeout: 20_000, interval: 20 }).toBeGreaterThanOrEqual(30);
    await postgres.restart('fast');
    await expect.poll(() => effects.outcomes({ uuids }).lost, { timeout: 60_000, interval: 200 }).toBe(0);
    const final = effects.outcomes({ uuids });
    console.info(`[postgres restart fast] 200 accepted: done ${final.done}, lost ${final.lost}, duplicated ${final.duplicated}`);
    const canary = randomUUID();
    await (await producer.submit('recorded', effects.recorded(canary, 'sleep', { ms: 0 }))).result({ timeoutMs: 20_000 }).catch(() => undefined);
    await expect.poll(() => effects.counts().get(canary), { timeout: 20_000 }).toBe(1);
    void consumer;
  }, 120_000);
});
