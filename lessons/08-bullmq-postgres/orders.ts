// Placing an order that must send a receipt: the order row and the receipt job. With BullMQ on
// PostgreSQL both can live in the same database, which makes it tempting to think they commit
// together. They do not: Queue.add() runs on BullMQ's own connection, outside your transaction.
// The outbox (src/runners/bullmq/fixes/outbox.ts) writes the job as a row in your transaction
// instead, and a relay moves committed rows into the queue.

import type { Queue } from 'bullmq';
import { addToOutbox, startOutboxRelay, type OutboxRelay, type Queryable } from '../../src/runners/bullmq/fixes/outbox.ts';

export type Outcome = 'commit' | 'rollback';

/** The trap: the job is added inside the transaction, but not as part of it. */
export async function placeOrderWithAdd(db: Queryable, receipts: Queue, orderId: string, outcome: Outcome): Promise<void> {
  // #region trap
  await db.query('BEGIN');
  await db.query('INSERT INTO orders (id) VALUES ($1)', [orderId]);
  // On BullMQ's own connection: not part of this transaction.
  await receipts.add('send-receipt', { orderId });
  // Say the payment was declined:
  await db.query(outcome === 'commit' ? 'COMMIT' : 'ROLLBACK');
  // #endregion trap
}

/** The fix: the job is a row written by this transaction, so it commits or rolls back with it. */
export async function placeOrderWithOutbox(db: Queryable, receipts: Queue, orderId: string, outcome: Outcome): Promise<void> {
  // #region outbox
  await db.query('BEGIN');
  await db.query('INSERT INTO orders (id) VALUES ($1)', [orderId]);
  // A row in this transaction: it commits or rolls back with the order.
  await addToOutbox(db, {
    queue: receipts.name,
    name: 'send-receipt',
    data: { orderId },
  });
  await db.query(outcome === 'commit' ? 'COMMIT' : 'ROLLBACK');
  // #endregion outbox
}

/** Once per app (or as its own process: outbox-relay-process.ts). */
export function startReceiptRelay(databaseUrl: string, receipts: Queue): Promise<OutboxRelay> {
  // #region relay
  // Once per app, or as a process of its own (outbox-relay-process.ts).
  return startOutboxRelay({ databaseUrl, queues: [receipts] });
  // #endregion relay
}

// #region pending-receipts
// Jobs are rows beside your data: which orders still wait
// for their receipt?
export const PENDING_RECEIPTS_SQL = `
  SELECT orders.id AS order_id, job.state
  FROM orders
  JOIN need_a_queue.job AS job
    ON job.data->>'orderId' = orders.id
  WHERE job.queue = $1
    AND job.state IN ('waiting', 'delayed', 'active')
  ORDER BY orders.id`;
// #endregion pending-receipts
