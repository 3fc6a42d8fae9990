// How BullMQ's classes reach a store: the connection options for a Redis URL, the
// PostgreSQL backend with its schema, the migrations BullMQ 6 leaves to its caller, and
// constructors for Queue / Worker / QueueEvents that take either. The runner, the worker
// process, the fixes, the lab and the bench all open BullMQ through these.

import { Job, Queue, QueueEvents, Worker, createPostgresBackend, runMigrations, type ConnectionOptions } from 'bullmq';
import pg from 'pg';

export type BullmqBackendKind = 'redis' | 'postgres';

/** ioredis options from a redis:// URL; BullMQ then owns (and closes) its connections. */
export function redisConnection(url: string): ConnectionOptions {
  const u = new URL(url);
  const db = u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0;
  return {
    host: u.hostname,
    port: u.port === '' ? 6379 : Number(u.port),
    ...(u.username === '' ? {} : { username: decodeURIComponent(u.username) }),
    ...(u.password === '' ? {} : { password: decodeURIComponent(u.password) }),
    db,
    // BullMQ requires it for Workers: a blocking command must not fail after N retries.
    maxRetriesPerRequest: null,
  };
}

/** The kit migrates explicitly: BullMQ 6 no longer migrates a schema on its own. */
export async function migratePostgres(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await runMigrations(client, schema);
  } finally {
    await client.end();
  }
}

/** The arguments every BullMQ class takes for this backend (`opts` extras plus factory). */
export interface BackendArgs {
  readonly connection: ConnectionOptions;
  readonly prefix?: string;
  readonly factory?: typeof createPostgresBackend;
}

export function backendArgs(kind: BullmqBackendKind, url: string, namespace: string): BackendArgs {
  if (kind === 'redis') return { connection: redisConnection(url), prefix: namespace };
  // A config object (not a bare string) is the only form that carries `schema`.
  return { connection: { connectionString: url, schema: namespace }, factory: createPostgresBackend };
}

// BullMQ's overloads (backend factory or not) do not narrow through a union; these helpers
// keep the casts in one place.
type AnyCtor<T> = new (...args: unknown[]) => T;
export function makeQueue(name: string, args: BackendArgs, extra: object = {}): Queue {
  const opts = { connection: args.connection, ...(args.prefix === undefined ? {} : { prefix: args.prefix }), ...extra };
  return new (Queue as unknown as AnyCtor<Queue>)(name, opts, args.factory);
}
export function makeWorker(name: string, processor: (job: Job) => Promise<unknown>, args: BackendArgs, extra: object): Worker {
  const opts = { connection: args.connection, ...(args.prefix === undefined ? {} : { prefix: args.prefix }), ...extra };
  return new (Worker as unknown as AnyCtor<Worker>)(name, processor, opts, args.factory);
}
export function makeQueueEvents(name: string, args: BackendArgs): QueueEvents {
  const opts = { connection: args.connection, ...(args.prefix === undefined ? {} : { prefix: args.prefix }) };
  return new (QueueEvents as unknown as AnyCtor<QueueEvents>)(name, opts, args.factory);
}
