// The fix for "a job added inside a PostgreSQL transaction that rolls back may still run": the
// transactional outbox. BullMQ's Queue.add() runs on the queue's own connection (Redis, or
// BullMQ's own PostgreSQL pool: its backend interface deliberately takes no connection or
// transaction), so it cannot join your transaction. Instead the app writes its row AND an
// outbox row in ONE transaction; a relay moves committed outbox rows into the BullMQ queue.
// A rollback leaves no outbox row, so no job; a commit leaves one, so exactly one job.
//
//   await createOutboxTable(pool);                       // once, like a migration
//   await client.query('BEGIN');
//   await client.query('INSERT INTO orders ...');
//   await addToOutbox(client, { queue: 'emails', name: 'send', data: { orderId } });
//   await client.query('COMMIT');                        // or ROLLBACK: then nothing runs
//
//   const relay = await startOutboxRelay({ databaseUrl, queues: [emailsQueue] });
//   ...
//   await relay.stop();
//
// How it works:
// - addToOutbox inserts with the caller's client (so inside the caller's transaction) and
//   calls pg_notify, which PostgreSQL delivers only on COMMIT: a rolled-back job never even
//   wakes the relay.
// - The relay, in its own transaction, takes a batch with `FOR UPDATE SKIP LOCKED` (several
//   relays never take the same row), adds it to BullMQ with addBulk, deletes the rows and
//   commits. It wakes on NOTIFY and also polls every pollIntervalMs (NOTIFY is a hint: a
//   notification sent while the relay was down is gone, the rows are not; and a LISTEN
//   connection that drops is not reopened, the relay just falls back to polling).
// - Idempotent: the outbox row id is the BullMQ job id (`outbox-<id>`). A relay that dies
//   after the add and before its DELETE commits leaves the rows (the transaction dies with
//   its connection); the next relay adds them again and BullMQ ignores an id it already
//   holds. That holds only while BullMQ still keeps the job: keep finished jobs
//   (removeOnComplete / removeOnFail by count or age) for longer than a relay can take to
//   come back. So delivery into the queue is at-least-once, and the job runs once, or as
//   BullMQ's own at-least-once allows (a worker killed mid-job still reruns it).

import type { JobsOptions, Queue } from 'bullmq';
import pg from 'pg';
import type { Json } from '../../../contract.ts';
import { InvalidOptionError } from '../../../errors.ts';
import { toError } from '../../support.ts';

/** Anything that runs a query: pg.Client, a PoolClient inside BEGIN … COMMIT, or a Pool. */
export interface Queryable {
  query(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
}

export const DEFAULT_OUTBOX_TABLE = 'need_a_queue_outbox';
/** The NOTIFY channel addToOutbox signals and the relay listens on. */
export const OUTBOX_CHANNEL = 'need_a_queue_outbox';

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/** `table` or `schema.table`, lower-case identifiers only; returned quoted for SQL. */
function tableName(table: string): string {
  const parts = table.split('.');
  if (parts.length > 2 || !parts.every((p) => IDENTIFIER.test(p))) throw new InvalidOptionError('table', 'a table name or schema.table of a-z, 0-9 and _', table);
  return parts.map((p) => `"${p}"`).join('.');
}

/** The BullMQ job id of an outbox row: the same row always gives the same job. */
export function outboxJobId(rowId: string): string {
  return `outbox-${rowId}`;
}

/** Creates the outbox table if missing. Run it once at deploy time, like any migration. */
export async function createOutboxTable(db: Queryable, table = DEFAULT_OUTBOX_TABLE): Promise<void> {
  await db.query(`CREATE TABLE IF NOT EXISTS ${tableName(table)} (
    id bigserial PRIMARY KEY,
    queue text NOT NULL,
    name text NOT NULL,
    data jsonb NOT NULL,
    opts jsonb NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL DEFAULT now()
  )`);
}

export interface OutboxEntry {
  /** BullMQ queue name; a relay moves only the queues it was given. */
  readonly queue: string;
  /** Job name. */
  readonly name: string;
  readonly data: Json;
  /** BullMQ job options, stored as JSON; the job id is always the outbox row's. */
  readonly opts?: Omit<JobsOptions, 'jobId'>;
}

/**
 * Writes a job to the outbox with the caller's client: call it between the caller's BEGIN
 * and COMMIT. Resolves with the outbox row id; the job's BullMQ id is outboxJobId(id).
 */
export async function addToOutbox(tx: Queryable, entry: OutboxEntry, table = DEFAULT_OUTBOX_TABLE): Promise<string> {
  const { rows } = await tx.query(
    `WITH row AS (INSERT INTO ${tableName(table)} (queue, name, data, opts) VALUES ($1, $2, $3, $4) RETURNING id)
     SELECT id::text AS id, pg_notify($5, '') FROM row`,
    [entry.queue, entry.name, JSON.stringify(entry.data), JSON.stringify(entry.opts ?? {}), OUTBOX_CHANNEL],
  );
  return (rows[0] as { id: string }).id;
}

export interface OutboxRelayOptions {
  /** The PostgreSQL that holds the outbox (the app's database, not necessarily BullMQ's). */
  readonly databaseUrl: string;
  /** The queues this relay feeds, by Queue.name; rows for other queues are left alone. */
  readonly queues: readonly Queue[];
  readonly table?: string;
  /** Rows per transaction. Default 100. */
  readonly batchSize?: number;
  /** Poll even without a NOTIFY, this often. Default 1000 ms. */
  readonly pollIntervalMs?: number;
  /** Background errors (the relay retries on its next poll); console.warn by default. */
  readonly onError?: (error: Error) => void;
  /**
   * Runs after a batch is in the queue and before its rows are deleted: the window a crash
   * must not turn into a duplicate. The fault tests kill the relay here.
   */
  readonly afterAdd?: (rowIds: readonly string[]) => void | Promise<void>;
}

export interface OutboxRelay {
  /** Moves one batch; resolves with how many rows it moved. */
  relayOnce(): Promise<number>;
  /** Stops the loop after the current batch and closes the relay's own connections. */
  stop(): Promise<void>;
}

interface OutboxRow {
  id: string;
  queue: string;
  name: string;
  data: unknown;
  opts: JobsOptions;
}

/** Starts a relay loop: one batch at a time, woken by NOTIFY or by the poll interval. */
export async function startOutboxRelay(options: OutboxRelayOptions): Promise<OutboxRelay> {
  const table = tableName(options.table ?? DEFAULT_OUTBOX_TABLE);
  const batchSize = options.batchSize ?? 100;
  const pollIntervalMs = options.pollIntervalMs ?? 1000;
  const onError = options.onError ?? ((error: Error) => console.warn(`[outbox relay] ${error.message}`));
  const queues = new Map(options.queues.map((q) => [q.name, q]));
  const names = [...queues.keys()];
  const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 1 });
  pool.on('error', onError);
  const listener = new pg.Client({ connectionString: options.databaseUrl });
  listener.on('error', onError);

  let stopped = false;
  let wake: (() => void) | undefined;
  let pending = false;
  const signal = (): void => {
    pending = true;
    wake?.();
  };

  async function relayOnce(): Promise<number> {
    const client = await pool.connect();
    let broken: Error | undefined;
    try {
      // #region relay-batch
      await client.query('BEGIN');
      const { rows } = await client.query<OutboxRow>(
        `SELECT id::text AS id, queue, name, data, opts FROM ${table}
         WHERE queue = ANY($1) ORDER BY id LIMIT $2
         FOR UPDATE SKIP LOCKED`,
        [names, batchSize],
      );
      if (rows.length > 0) {
        for (const [name, queue] of queues) {
          const mine = rows.filter((r) => r.queue === name);
          if (mine.length === 0) continue;
          // The row id is the job id: BullMQ ignores a second add.
          await queue.addBulk(mine.map((r) => ({
            name: r.name,
            data: r.data,
            opts: { ...r.opts, jobId: outboxJobId(r.id) },
          })));
        }
        const ids = rows.map((r) => r.id);
        await options.afterAdd?.(ids);
        await client.query(
          `DELETE FROM ${table} WHERE id = ANY($1::bigint[])`,
          [ids],
        );
      }
      await client.query('COMMIT');
      // #endregion relay-batch
      return rows.length;
    } catch (error) {
      broken = toError(error);
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      // A connection that failed mid-transaction is not given back for reuse.
      client.release(broken);
    }
  }

  async function loop(): Promise<void> {
    while (!stopped) {
      pending = false;
      let moved = 0;
      try {
        moved = await relayOnce();
      } catch (error) {
        onError(toError(error));
      }
      if (stopped || moved === batchSize || pending) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pollIntervalMs);
        wake = () => (clearTimeout(timer), resolve());
      });
      wake = undefined;
    }
  }

  try {
    await listener.connect();
    listener.on('notification', signal);
    await listener.query(`LISTEN ${OUTBOX_CHANNEL}`);
  } catch (error) {
    await listener.end().catch(() => undefined);
    await pool.end().catch(() => undefined);
    throw error;
  }
  const running = loop();
  return {
    relayOnce,
    async stop() {
      stopped = true;
      wake?.();
      await running;
      await listener.end().catch(() => undefined);
      await pool.end().catch(() => undefined);
    },
  };
}
