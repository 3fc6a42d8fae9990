import { Redis } from 'ioredis';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { testDatabaseUrl, testRedisUrl } from './services.ts';

describe('the services global setup provides', () => {
  it('a Redis that answers PING', async () => {
    const client = new Redis(testRedisUrl(), { maxRetriesPerRequest: 1 });
    try {
      expect(await client.ping()).toBe('PONG');
    } finally {
      client.disconnect();
    }
  });

  it('a PostgreSQL that answers a query', async () => {
    const client = new pg.Client({ connectionString: testDatabaseUrl() });
    await client.connect();
    try {
      const result = await client.query<{ one: number }>('select 1 as one');
      expect(result.rows[0]?.one).toBe(1);
    } finally {
      await client.end();
    }
  });

  it('never the system services on 6379 and 5432 when no URL is set', () => {
    if (process.env.REDIS_URL === undefined) expect(new URL(testRedisUrl()).port).not.toBe('6379');
    if (process.env.DATABASE_URL === undefined) expect(new URL(testDatabaseUrl()).port).not.toBe('5432');
  });
});
