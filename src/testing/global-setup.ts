// How it works: vitest runs this once, in its main process, before any test file. It
// starts (or checks, when REDIS_URL / DATABASE_URL are set) one Redis and one PostgreSQL
// through the service hub and hands their URLs to every test worker with `provide`; tests
// read them with testRedisUrl() / testDatabaseUrl() (services.ts). The returned teardown
// stops what was started. Nothing is skipped: a program the suite needs that this system
// lacks (redis-server, chromium) ends the run before any test, in one line naming the
// install command, rather than as one failure per test; a Redis or PostgreSQL that will not
// start fails the run with the hub's message, which names the fix.

import type { TestProject } from 'vitest/node';
import { createServiceHub } from '../services/hub.ts';
import { preflight } from '../services/preflight.ts';
import type {} from './services.ts';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const missing = preflight('npm test');
  if (missing !== undefined) {
    process.stderr.write(`\n${missing}\n\n`);
    // The line above is the message; vitest still needs an error to end the run with, and
    // one without stack frames, so the line is not buried under vitest's own.
    const error = new Error(missing);
    error.stack = `Error: ${missing}`;
    throw error;
  }
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
