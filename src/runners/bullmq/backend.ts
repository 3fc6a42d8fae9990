// How BullMQ's classes reach a store: the connection options for a Redis URL, the
// PostgreSQL backend with its schema, the migrations BullMQ 6 leaves to its caller, and
// constructors for Queue / Worker / QueueEvents that take either. The runner, the worker
// process, the fixes, the lab and the bench all open BullMQ through these.

import { ConnectionClosedError, Job, Queue, QueueEvents, Worker, createPostgresBackend, runMigrations, type ConnectionOptions } from 'bullmq';
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
  return { connection: { connectionString: url, schema: namespace }, factory: postgresBackend };
}

// SQLSTATEs of a connection the server ended or refused: class 08 (connection exception),
// 57P01 admin_shutdown (pg_terminate_backend), 57P02 crash_shutdown, 57P03 cannot_connect_now.
const LOST_STATES = /^(08...|57P0[123])$/;
const LOST_MESSAGES = ['Connection terminated', 'connection error and is not queryable', 'timeout exceeded when trying to connect'];
const LOST_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT']);

/** Whether `error` says the PostgreSQL connection went away, rather than the query being wrong. */
export function isLostConnection(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (LOST_STATES.test(code) || LOST_CODES.has(code))) return true;
  return LOST_MESSAGES.some((m) => error.message.includes(m));
}

/**
 * BullMQ's PostgreSQL backend, with a lost connection reported the way its Redis clients
 * report one: as ConnectionClosedError. BullMQ's Worker retries a store write only for that
 * class (`isNotConnectionError`); pg's own errors ("terminating connection due to
 * administrator command", "Connection terminated unexpectedly") otherwise reach the
 * processor's catch, so a job whose effect happened was moved to `failed` because the write
 * recording its completion lost its connection, and was never retried. A write cut off
 * mid-query did not commit, so running it again is safe; one that did commit finds the job
 * finished and fails on its lock, which BullMQ reports as an error, not as the job's failure.
 */
const postgresBackend: typeof createPostgresBackend = (name, opts, factoryOpts) => {
  const backend = createPostgresBackend(name, opts, factoryOpts);
  const wrapped = new Map<PropertyKey, unknown>();
  return new Proxy(backend, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      let wrapper = wrapped.get(prop);
      if (wrapper === undefined) {
        wrapper = (...args: unknown[]): unknown => {
          const result: unknown = Reflect.apply(value, target, args);
          return result instanceof Promise
            ? result.catch((error: unknown) => {
                throw asConnectionClosed(error);
              })
            : result;
        };
        wrapped.set(prop, wrapper);
      }
      return wrapper;
    },
  });
};

function asConnectionClosed(error: unknown): unknown {
  if (!(error instanceof Error) || error instanceof ConnectionClosedError || !isLostConnection(error)) return error;
  return new ConnectionClosedError(error.message, error);
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
