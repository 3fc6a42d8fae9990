// How the conformance suite builds each runner: options for a private test store, a fresh
// queue name per runner so tests never see each other's jobs, and short lock timings so a
// dead worker's job is recovered in about a second instead of BullMQ's default 30 s.

import { randomUUID } from 'node:crypto';
import type { RunnerId, RunnerOptions } from '../../contract.ts';
import { testDatabaseUrl, testRedisUrl } from '../../testing/services.ts';

/**
 * Lock timings short enough that a test sees a stalled job recovered within seconds (recovery
 * takes up to lockDuration + 2 × stalledInterval), long enough for a loaded CI box.
 */
const fastRecovery = { lockDuration: 1000, stalledInterval: 500 };

export function conformanceOptions(id: RunnerId, queue = `conf-${randomUUID()}`): RunnerOptions {
  switch (id) {
    case 'bullmq-redis':
      return { redisUrl: testRedisUrl(), queue, concurrency: 4, tuning: fastRecovery };
    case 'bullmq-postgres':
      return { databaseUrl: testDatabaseUrl(), queue, concurrency: 4, tuning: fastRecovery };
    default:
      return {};
  }
}

/** Options for an instance that accepts jobs but runs none: only durable runners have one. */
export function producerOnlyOptions(id: RunnerId, queue: string): RunnerOptions {
  const base = conformanceOptions(id, queue);
  return { ...base, tuning: { ...base.tuning, consume: false } };
}
