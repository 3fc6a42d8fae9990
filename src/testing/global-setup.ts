// How it works: vitest runs this once, in its main process, before any test file. It
// starts (or checks, when REDIS_URL / DATABASE_URL are set) one Redis and one PostgreSQL
// through the service hub and hands their URLs to every test worker with `provide`; tests
// read them with testRedisUrl() / testDatabaseUrl() (services.ts). The returned teardown
// stops what was started. Nothing is skipped: without Redis or PostgreSQL the run fails
// with the hub's message, which names the fix.

import type { TestProject } from 'vitest/node';
import { createServiceHub } from '../services/hub.ts';
import type {} from './services.ts';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const hub = createServiceHub();
  try {
    const [redis, postgres] = await Promise.all([hub.redis(), hub.postgres()]);
    project.provide('redisUrl', redis.url);
    project.provide('databaseUrl', postgres.url);
    project.provide('redisVersion', redis.version);
    project.provide('postgresVersion', postgres.version);
  } catch (error) {
    await hub.stop();
    throw error;
  }
  return () => hub.stop();
}
