// The fix for bullmq-limits.test.ts "a job added inside a PostgreSQL transaction that rolls
// back still runs": the transactional outbox (outbox.ts). The app writes its order row and an
// outbox row in one transaction; a relay moves committed outbox rows into the BullMQ queue
// (`bullmq-postgres`, the kit's runner consuming with an effect ledger) under the outbox row's
// id as the job id. Runs are counted from the ledger (keyed by payload uuid), rows and jobs
// from PostgreSQL and BullMQ themselves.

import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Queue } from 'bullmq';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Runner } from '../../../contract.ts';
import { testDatabaseUrl } from '../../../testing/services.ts';
import { createRunner } from '../../registry.ts';
import { backendArgs, makeQueue } from '../backend.ts';
import { createLedger, type Ledger } from '../../../ledger/ledger.ts';
import { killAllWorkers, spawnScript } from '../fault-helpers.ts';
import { OUTBOX_RELAY_PROCESS_FILE } from './outbox-relay-process.ts';
import { addToOutbox, createOutboxTable, outboxJobId, startOutboxRelay, type OutboxRelay } from './outbox.ts';

const SCHEMA = 'naq_test';
// Time for a duplicate to show: the consumer is woken by NOTIFY within milliseconds.
const DUPLICATE_WINDOW_MS = 1500;

/** Rejects with `what` if the promise has not settled within ms. */
async function within<T>(promise: Promise<T>, ms: number, what: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what()}: not within ${ms} ms`)), ms)));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

describe('fix: the transactional outbox', () => {
  const url = (): string => testDatabaseUrl();
  let queueName: string;
  let outbox: string;
  let orders: string;
  let ledger: Ledger;
  let consumer: Runner | undefined;
  let relayQueue: Queue | undefined;
  let app: pg.Client | undefined;
  const relays: OutboxRelay[] = [];

  beforeEach(async () => {
    const suffix = randomUUID().replaceAll('-', '').slice(0, 12);
    queueName = `outbox-${suffix}`;
    outbox = `naq_outbox_${suffix}`;
    orders = `naq_orders_${suffix}`;
    ledger = createLedger();
    // The kit's runner runs the jobs (name and data, as plain BullMQ stores them); each is a `recorded` job that writes its run to the ledger.
    consumer = await createRunner('bullmq-postgres', { databaseUrl: url(), queue: queueName, concurrency: 4, tuning: { schema: SCHEMA } });
    relayQueue = makeQueue(queueName, backendArgs('postgres', url(), SCHEMA));
    app = new pg.Client({ connectionString: url() });
    await app.connect();
    await createOutboxTable(app, outbox);
    await app.query(`CREATE TABLE ${orders} (id text PRIMARY KEY)`);
  });

  afterEach(async () => {
    await killAllWorkers();
    await Promise.all(relays.splice(0).map((r) => r.stop().catch(() => undefined)));
    await relayQueue?.close().catch(() => undefined);
    await consumer?.stop({ drain: false }).catch(() => undefined);
    if (app !== undefined) {
      await app.query(`DROP TABLE IF EXISTS ${outbox}, ${orders}`).catch(() => undefined);
      await app.end().catch(() => undefined);
    }
    ledger.remove();
    consumer = undefined;
    relayQueue = undefined;
    app = undefined;
  });

  /** The app's unit of work: the order row and its job, in one transaction. */
  async function placeOrder(orderId: string, uuid: string, outcome: 'commit' | 'rollback'): Promise<string> {
    const tx = app!;
    // #region place-order
    await tx.query('BEGIN');
    try {
      await tx.query(`INSERT INTO ${orders} VALUES ($1)`, [orderId]);
      const rowId = await addToOutbox(tx, { queue: queueName, name: 'recorded', data: ledger.recorded(uuid, 'sleep', { ms: 1 }) }, outbox);
      await tx.query(outcome === 'commit' ? 'COMMIT' : 'ROLLBACK'); // ROLLBACK: no outbox row, so no job
      return rowId;
    } catch (error) {
      await tx.query('ROLLBACK');
      throw error;
    }
    // #endregion place-order
  }

  async function outboxRows(): Promise<number> {
    return ((await app!.query(`SELECT count(*)::int AS n FROM ${outbox}`)).rows[0] as { n: number }).n;
  }

  async function jobsInQueue(): Promise<Record<string, number>> {
    return relayQueue!.getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed');
  }

  async function startRelay(): Promise<OutboxRelay> {
    // #region start-relay
    const relay = await startOutboxRelay({ databaseUrl: url(), queues: [relayQueue!], table: outbox, pollIntervalMs: 200 });
    // #endregion start-relay
    relays.push(relay);
    return relay;
  }

  it('a rolled-back transaction leaves no job: nothing runs, while a committed one after it does', async () => {
    await startRelay();
    const rolledBack = randomUUID();
    const canary = randomUUID();
    await placeOrder('order-rolled-back', rolledBack, 'rollback');
    await placeOrder('order-canary', canary, 'commit');
    // The relay is live and in order: once the later, committed job has run, the earlier one had its chance.
    await expect.poll(() => ledger.counts().get(canary) ?? 0, { timeout: 10_000, interval: 50 }).toBe(1);
    await sleep(DUPLICATE_WINDOW_MS);

    expect(ledger.counts().get(rolledBack) ?? 0).toBe(0);
    expect(ledger.counts().get(canary)).toBe(1);
    expect((await app!.query(`SELECT id FROM ${orders}`)).rows).toEqual([{ id: 'order-canary' }]);
    expect(await outboxRows()).toBe(0);
    expect(await jobsInQueue()).toEqual({ waiting: 0, active: 0, delayed: 0, completed: 1, failed: 0 });
  });

  it('a committed transaction runs its job exactly once, under the outbox row id', async () => {
    const relay = await startRelay();
    const uuid = randomUUID();
    const rowId = await placeOrder('order-1', uuid, 'commit');
    await expect.poll(() => ledger.counts().get(uuid) ?? 0, { timeout: 10_000, interval: 50 }).toBe(1);
    // Another pass finds nothing left to move.
    expect(await relay.relayOnce()).toBe(0);
    await sleep(DUPLICATE_WINDOW_MS);

    expect(ledger.counts().get(uuid)).toBe(1);
    expect(await outboxRows()).toBe(0);
    expect(await (await relayQueue!.getJob(outboxJobId(rowId)))?.getState()).toBe('completed');
    expect(await jobsInQueue()).toEqual({ waiting: 0, active: 0, delayed: 0, completed: 1, failed: 0 });
  });

  it('a relay SIGKILLed after the add and before the delete, then restarted, still gives exactly one run', async () => {
    const doomed = spawnScript(OUTBOX_RELAY_PROCESS_FILE, ['--database-url', url(), '--queue', queueName, '--namespace', SCHEMA, '--table', outbox, '--crash-after-add']);
    await within(doomed.ready, 20_000, () => `relay process ready\n${doomed.output.join('\n')}`);
    const uuid = randomUUID();
    const rowId = await placeOrder('order-1', uuid, 'commit');
    await within(doomed.exited, 15_000, () => `relay crash after its add\n${doomed.output.join('\n')}`);
    expect(doomed.child.signalCode).toBe('SIGKILL');
    expect(doomed.output).toContain(`added ${rowId}`);

    // The kill landed in the window: the job is in the queue, and its outbox row is still there.
    expect(await outboxRows()).toBe(1);
    expect(await relayQueue!.getJob(outboxJobId(rowId))).toBeDefined();
    // It runs (once) from the add the dead relay made.
    await expect.poll(() => ledger.counts().get(uuid) ?? 0, { timeout: 10_000, interval: 50 }).toBe(1);

    // A fresh relay finds the row, adds it again under the same job id (BullMQ keeps the one it has) and deletes it.
    await startRelay();
    await expect.poll(() => outboxRows(), { timeout: 10_000, interval: 100 }).toBe(0);
    await sleep(DUPLICATE_WINDOW_MS);

    console.info(`[outbox relay killed between add and delete] ran ${ledger.counts().get(uuid)} time(s) for one committed order`);
    expect(ledger.counts().get(uuid)).toBe(1);
    expect(await jobsInQueue()).toEqual({ waiting: 0, active: 0, delayed: 0, completed: 1, failed: 0 });
  });
});
