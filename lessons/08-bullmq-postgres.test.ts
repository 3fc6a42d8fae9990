// Proves lessons/08-bullmq-postgres.md against a real PostgreSQL and BullMQ's PostgreSQL backend.
// Each test gets a database of its own (created on the run's PostgreSQL, dropped after), so the
// lesson's SQL can say `orders` and the outbox's default table. Jobs are rows a join can read;
// a job added inside a transaction that rolls back still runs; with the outbox a rolled-back
// order runs nothing and a committed one runs once. Runs are counted by the processor.

import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Queue, Worker } from 'bullmq';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { backendArgs, makeQueue, makeWorker, migratePostgres } from '../src/runners/bullmq/backend.ts';
import { createOutboxTable } from '../src/runners/bullmq/fixes/outbox.ts';
import { createRunner } from '../src/runners/registry.ts';
import { testDatabaseUrl, testRedisUrl } from '../src/testing/services.ts';
import { PENDING_RECEIPTS_SQL, placeOrderWithAdd, placeOrderWithOutbox, startReceiptRelay } from './08-bullmq-postgres/orders.ts';
import { normalise } from './support/normalise.ts';

// The kit's default schema, which the lesson's SQL names.
const SCHEMA = 'need_a_queue';
// Time for a job that should not exist to show up: the Worker is woken by NOTIFY in milliseconds.
const QUIET_MS = 1000;

interface Shop {
  readonly url: string;
  readonly db: pg.Client;
  readonly receipts: Queue;
  /** Order ids, one per run of a receipt job. */
  readonly runs: string[];
}

describe('lesson 08: BullMQ on PostgreSQL', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  });

  /** A fresh database with an orders table, BullMQ's schema, a receipts Queue and, unless told not to, a Worker. */
  async function shop(options: { worker?: boolean } = {}): Promise<Shop> {
    const admin = new pg.Client({ connectionString: testDatabaseUrl() });
    await admin.connect();
    const name = `lesson08_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
    await admin.query(`CREATE DATABASE ${name}`);
    cleanups.push(async () => {
      // Pools close their connections a moment after close() resolves; FORCE only if one lingers.
      const open = async (): Promise<number> => ((await admin.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1`, [name])).rows[0] as { n: number }).n;
      for (let i = 0; i < 40 && (await open()) > 0; i++) await sleep(50);
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    });
    const u = new URL(testDatabaseUrl());
    u.pathname = `/${name}`;
    const url = u.toString();
    await migratePostgres(url, SCHEMA);
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    cleanups.push(() => db.end());
    await db.query('CREATE TABLE orders (id text PRIMARY KEY)');
    const args = backendArgs('postgres', url, SCHEMA);
    const receipts = makeQueue('receipts', args);
    cleanups.push(() => receipts.close());
    const runs: string[] = [];
    if (options.worker !== false) {
      const worker: Worker = makeWorker('receipts', (job) => Promise.resolve(void runs.push((job.data as { orderId: string }).orderId)), args, { concurrency: 4 });
      cleanups.push(() => worker.close(true));
      await worker.waitUntilReady();
    }
    return { url, db, receipts, runs };
  }

  const orderIds = async (s: Shop): Promise<string[]> => (await s.db.query<{ id: string }>('SELECT id FROM orders ORDER BY id')).rows.map((r) => r.id);

  it('the PostgreSQL runner declares the same guarantees and submit options as the Redis one', async () => {
    const redis = await createRunner('bullmq-redis', { redisUrl: testRedisUrl(), tuning: { consume: false } });
    const postgres = await createRunner('bullmq-postgres', { databaseUrl: testDatabaseUrl(), tuning: { consume: false, schema: 'naq_lesson08' } });
    cleanups.push(() => redis.stop(), () => postgres.stop());
    expect(postgres.traits).toEqual(redis.traits);
    expect(postgres.traits.options).toEqual(['id', 'attempts', 'backoff', 'delayMs', 'timeoutMs', 'priority']);
  });

  it('jobs are rows beside your data: one query joins orders and their waiting receipt jobs', async () => {
    const s = await shop({ worker: false });
    for (const id of ['order-1', 'order-2']) {
      await s.db.query('INSERT INTO orders (id) VALUES ($1)', [id]);
      await s.receipts.add('send-receipt', { orderId: id });
    }
    const { rows } = await s.db.query<{ order_id: string; state: string }>(PENDING_RECEIPTS_SQL, [s.receipts.name]);
    expect(rows).toEqual([{ order_id: 'order-1', state: 'waiting' }, { order_id: 'order-2', state: 'waiting' }]);
    const lines = ['order_id  state', ...rows.map((r) => `${r.order_id.padEnd(10)}${r.state}`)];
    await expect(normalise(lines.join('\n'))).toMatchFileSnapshot('./outputs/08-pending-receipts.txt');
  });

  it('the trap: a job added inside a transaction that rolls back still runs', async () => {
    const s = await shop();
    await placeOrderWithAdd(s.db, s.receipts, 'order-declined', 'rollback');
    await expect.poll(() => s.runs.length, { timeout: 10_000, interval: 20 }).toBe(1);
    expect(await orderIds(s)).toEqual([]);
    const lines = ['payment declined, transaction rolled back:', `  orders stored: ${(await orderIds(s)).length}`, `  receipts sent: ${s.runs.filter((id) => id === 'order-declined').length}`];
    await expect(normalise(lines.join('\n'))).toMatchFileSnapshot('./outputs/08-trap.txt');
  });

  it('the outbox: a rolled-back order sends nothing, a committed one sends one receipt', async () => {
    const s = await shop();
    await createOutboxTable(s.db);
    const relay = await startReceiptRelay(s.url, s.receipts);
    cleanups.push(() => relay.stop());
    await placeOrderWithOutbox(s.db, s.receipts, 'order-declined', 'rollback');
    await placeOrderWithOutbox(s.db, s.receipts, 'order-paid', 'commit');
    // The relay moves rows in order: once the later, committed order's receipt ran, the earlier had its chance.
    await expect.poll(() => s.runs.includes('order-paid'), { timeout: 10_000, interval: 20 }).toBe(true);
    await sleep(QUIET_MS);
    expect(await orderIds(s)).toEqual(['order-paid']);
    expect(s.runs).toEqual(['order-paid']);
    expect((await s.db.query('SELECT count(*)::int AS n FROM need_a_queue_outbox')).rows[0]).toEqual({ n: 0 });
    const count = (id: string): number => s.runs.filter((r) => r === id).length;
    const lines = [
      'payment declined, transaction rolled back:',
      `  orders stored: ${(await orderIds(s)).filter((id) => id === 'order-declined').length}, receipts sent: ${count('order-declined')}`,
      'payment accepted, transaction committed:',
      `  orders stored: ${(await orderIds(s)).filter((id) => id === 'order-paid').length}, receipts sent: ${count('order-paid')}`,
    ];
    await expect(normalise(lines.join('\n'))).toMatchFileSnapshot('./outputs/08-outbox.txt');
  });
});
