// Raw BullMQ baselines (`bullmq-raw-redis`, `bullmq-raw-postgres`): Queue.addBulk and a Worker
// used directly, no kit code, so `kit ÷ raw` in the same run is the kit's own overhead.
//
// How it works: a fresh queue per drain; the Worker starts first, then the clock runs from the
// first addBulk to the last `completed` event. Jobs are done inline (noop returns, sleep waits,
// cpu spins), and finished jobs are kept as the kit keeps them ({ count: 10 000 }), so both
// sides pay the same storage cost. The queue is obliterated afterwards.

import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Queue, Worker, createPostgresBackend, runMigrations, type ConnectionOptions, type Job } from 'bullmq';
import pg from 'pg';
import type { Json } from '../../src/contract.ts';
import type { BenchServices, ThroughputBaseline } from '../types.ts';

const KEEP = { count: 10_000 };
const CHUNK = 1000;

function ms(data: Json): number {
  return data !== null && typeof data === 'object' && !Array.isArray(data) && typeof data.ms === 'number' ? data.ms : 0;
}

async function processor(job: Job): Promise<unknown> {
  const data = job.data as Json;
  if (job.name === 'sleep') await sleep(ms(data));
  if (job.name === 'cpu') {
    const end = performance.now() + ms(data);
    while (performance.now() < end);
  }
  return null;
}

type Kind = 'redis' | 'postgres';

async function connect(kind: Kind, services: BenchServices): Promise<{ opts: Record<string, unknown>; factory?: typeof createPostgresBackend }> {
  if (kind === 'redis') {
    const u = new URL(await services.redisUrl());
    const connection: ConnectionOptions = { host: u.hostname, port: Number(u.port || 6379), maxRetriesPerRequest: null, ...(u.password === '' ? {} : { password: decodeURIComponent(u.password) }) };
    return { opts: { connection, prefix: 'need-a-queue-raw' } };
  }
  const url = await services.databaseUrl();
  const schema = 'need_a_queue_raw';
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await runMigrations(client, schema);
  } finally {
    await client.end();
  }
  return { opts: { connection: { connectionString: url, schema } }, factory: createPostgresBackend };
}

type Ctor<T> = new (...args: unknown[]) => T;

function baseline(kind: Kind): ThroughputBaseline {
  return {
    id: `bullmq-raw-${kind}`,
    async drain({ job, data, jobs, concurrency, services }) {
      const { opts, factory } = await connect(kind, services);
      const name = `raw-${randomUUID().slice(0, 8)}`;
      const queue = new (Queue as unknown as Ctor<Queue>)(name, { ...opts, defaultJobOptions: { removeOnComplete: KEEP, removeOnFail: KEEP } }, factory);
      let done = 0;
      let finish!: () => void;
      const all = new Promise<void>((resolve) => (finish = resolve));
      const worker = new (Worker as unknown as Ctor<Worker>)(name, processor, { ...opts, concurrency }, factory);
      worker.on('completed', () => {
        if (++done === jobs) finish();
      });
      worker.on('error', () => undefined);
      try {
        await Promise.all([queue.waitUntilReady(), worker.waitUntilReady()]);
        const started = performance.now();
        for (let i = 0; i < jobs; i += CHUNK) {
          const n = Math.min(CHUNK, jobs - i);
          await queue.addBulk(Array.from({ length: n }, () => ({ name: job, data })));
        }
        await all;
        return performance.now() - started;
      } finally {
        await worker.close(true);
        await queue.obliterate({ force: true }).catch(() => undefined);
        await queue.close();
      }
    },
  };
}

export const bullmqRawRedis = baseline('redis');
export const bullmqRawPostgres = baseline('postgres');
export const baselines: readonly ThroughputBaseline[] = [bullmqRawRedis, bullmqRawPostgres];
