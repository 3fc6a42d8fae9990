// What BullMQ does not do for you, each made visible against a real
// server: no job timeout of its own (a `hang` keeps its renewed lock: no stall, no retry, no
// failure), a CPU-bound job on the worker's thread stops lock renewal and runs twice, and a job
// added inside a PostgreSQL transaction that rolls back still runs (the queue uses its own
// connection: the outbox pattern is the fix). Counted from a ledger keyed by payload uuid.
// The fixes, proved the same way, are in ./fixes/ (a sandboxed processor, a transactional outbox).

import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import type { LifecycleEvent } from '../../contract.ts';
import { testDatabaseUrl, testRedisUrl } from '../../testing/services.ts';
import { createRunner } from '../registry.ts';
import { faultTestScope, spawnWorker } from './fault-helpers.ts';

describe('what BullMQ does not do', () => {
  const scope = faultTestScope();

  it('has no job timeout: a `hang` without timeoutMs stays active with its lock renewed, never stalls or fails', async () => {
    const runner = scope.track(await createRunner('bullmq-redis', { redisUrl: testRedisUrl(), queue: `hang-${randomUUID()}`, tuning: { lockDuration: 300, stalledInterval: 100 } }));
    const events: LifecycleEvent[] = [];
    runner.onEvent((e) => events.push(e));
    await runner.submit('hang', null, { attempts: 3 });
    // Five lock durations: a stalled check would have reclaimed an unrenewed lock by now.
    await sleep(1500);
    expect(events.map((e) => e.type)).toEqual(['accepted', 'started']);
    // Only a forced stop ends it; the job is abandoned (left active for stalled recovery).
    expect((await runner.stop({ drain: true, timeoutMs: 200 })).abandoned).toBe(1);
  });

  it('a CPU-bound job on the worker thread stops lock renewal and runs twice', async () => {
    const queue = `cpu-${randomUUID()}`;
    const ledger = scope.ledger();
    const producer = scope.track(await createRunner('bullmq-redis', { redisUrl: testRedisUrl(), queue, tuning: { consume: false } }));
    const args = ['--runner', 'bullmq-redis', '--queue', queue, '--concurrency', '1', '--url', testRedisUrl(), '--lock-duration', '1000', '--stalled-interval', '500'];
    const a = spawnWorker(args);
    const b = spawnWorker(args);
    await Promise.all([a.ready, b.ready]);
    const uuid = randomUUID();
    // 2.5 s of busy CPU: longer than lockDuration, and the loop that would renew the lock is blocked.
    await producer.submit('recorded', ledger.recorded(uuid, 'cpu', { ms: 2500 }));
    await expect.poll(() => ledger.counts().get(uuid) ?? 0, { timeout: 20_000, interval: 100 }).toBeGreaterThanOrEqual(2);
    console.info(`[cpu job on the worker thread] ran ${ledger.counts().get(uuid)} times for one submit`);
    // The fix is off this thread: the kit's worker-pool runner, or a BullMQ sandboxed processor.
  });

  it('a job added inside a PostgreSQL transaction that rolls back still runs (dual write)', async () => {
    const url = testDatabaseUrl();
    const runner = scope.track(await createRunner('bullmq-postgres', { databaseUrl: url, queue: `tx-${randomUUID()}`, tuning: { schema: 'naq_test' } }));
    const table = `naq_orders_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(`CREATE TABLE ${table} (id text primary key)`);
      await client.query('BEGIN');
      await client.query(`INSERT INTO ${table} VALUES ('order-1')`);
      const ticket = await runner.submit('sleep', { ms: 1 });
      await client.query('ROLLBACK');
      // The business row is gone, but the job was committed on BullMQ's own pool connection.
      expect((await client.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]).toEqual({ n: 0 });
      expect(await ticket.result({ timeoutMs: 10_000 })).toEqual({ slept: 1 });
    } finally {
      await client.query(`DROP TABLE IF EXISTS ${table}`).catch(() => undefined);
      await client.end();
    }
  });
});
