// How much a store holds, for the memory scenario's `store growth`: a queue keeps its pending
// jobs in Redis or PostgreSQL, so the submitting process's memory is only the client's share.
// Redis: `used_memory` from INFO (the server's own allocation). PostgreSQL: the tables, indexes
// and TOAST of every user schema (pg_total_relation_size), which is what the stored jobs take
// on disk and in the buffer cache; the server's fixed shared memory does not grow with them.
// Read before and after the submits, with nothing else using the store in between.

import { Redis } from 'ioredis';
import pg from 'pg';

const TIMEOUT_MS = 5000;

export async function redisUsedMemory(url: string): Promise<number> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: TIMEOUT_MS, retryStrategy: () => null });
  try {
    await client.connect();
    const info = await client.info('memory');
    const bytes = /^used_memory:(\d+)/m.exec(info)?.[1];
    if (bytes === undefined) throw new Error('Redis INFO memory has no used_memory line');
    return Number(bytes);
  } finally {
    client.disconnect();
  }
}

export async function postgresRelationBytes(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: TIMEOUT_MS, statement_timeout: TIMEOUT_MS });
  await client.connect();
  try {
    const { rows } = await client.query<{ bytes: string }>(
      `SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)::text AS bytes
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'`,
    );
    return Number(rows[0]?.bytes ?? 0);
  } finally {
    await client.end();
  }
}

/** What the store behind a runner holds now, in bytes; undefined for a runner with no store. */
export function storeBytes(redisUrl: string, databaseUrl: string): Promise<number> | undefined {
  if (redisUrl !== '') return redisUsedMemory(redisUrl);
  if (databaseUrl !== '') return postgresRelationBytes(databaseUrl);
  return undefined;
}
