// The memory scenario's store rows, for real: a queue keeps its pending jobs in Redis or
// PostgreSQL, so beside the submitting process's figures the scenario measures what the store
// gained. Private servers of this test's own: the run's shared ones serve other test files at
// the same time, whose writes would land in the same figures.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres, startPrivateRedis, type PrivateEmbeddedPostgres, type PrivateRedis } from '../../src/services/index.ts';
import { scenarioContext } from '../test-fixtures.ts';
import type { Measurement } from '../types.ts';
import { memory } from './memory.ts';

describe('the memory scenario', () => {
  let redis: PrivateRedis | undefined;
  let postgres: PrivateEmbeddedPostgres | undefined;
  beforeAll(async () => {
    [redis, postgres] = await Promise.all([startPrivateRedis(), startEmbeddedPostgres()]);
  }, 120_000);
  afterAll(async () => {
    await Promise.all([redis?.stop(), postgres?.stop()]);
  });

  it('measures what Redis and PostgreSQL gained holding the pending jobs, and nothing for a runner with no store', async () => {
    const { context, skipped } = scenarioContext({
      subjects: ['task', 'bullmq-redis', 'bullmq-postgres'],
      services: { redisUrl: () => Promise.resolve(redis?.url ?? ''), databaseUrl: () => Promise.resolve(postgres?.url ?? '') },
    });
    const out = await memory.run(context);
    expect(skipped).toEqual([]);
    const store = (subject: string): Measurement | undefined => out.find((m) => m.subject === subject && m.metric === 'store growth');
    expect(store('task')).toBeUndefined();
    for (const subject of ['bullmq-redis', 'bullmq-postgres']) {
      const row = store(subject);
      expect(row, subject).toBeDefined();
      // 5,000 stored jobs, each a hash or a row of a few hundred bytes at least.
      const kbPerJob = ((row?.samples[0] ?? 0) * 1024) / 5000;
      expect(kbPerJob, subject).toBeGreaterThan(0.1);
      expect(row?.notes, subject).toMatchObject({ jobs: 5000, accepted: 5000 });
    }
  }, 180_000);
});
