// Raw BullMQ baselines (`bullmq-raw-redis`, `bullmq-raw-postgres`): a Queue and a Worker used
// directly, no kit code, so `kit ÷ raw` in the same run is the kit's own overhead.
//
// The workload is the one bench/drive.ts drain() gives a `bullmq-*` runner, done the way a
// BullMQ user would do it, so the ratio compares like with like:
// - Submission: one `queue.add` per job, SUBMIT_WINDOW adds in flight, each window awaited
//   before the next, which is how drain() calls the kit's one-job submit(). A user whose code
//   has one job at a time (a request handler, an event) calls add(); addBulk needs the whole
//   batch in hand, which the kit's callers do not have. The kit stores the submits made in one
//   turn of the event loop with one addBulk: that is the kit's own doing and the ratio shows
//   it (most on PostgreSQL, where 256 adds are 256 transactions and one addBulk is one).
// - One queue per backend, reused by every drain and every case of the run, as the bench
//   reuses one runner: finished jobs pile up to the same retention bound on both sides, and
//   trimming them (once the bound is reached, one removal per finished job) costs both the
//   same. A fresh queue per drain never reaches the bound and looked up to 35% cheaper per
//   job in Redis CPU.
// - Retention: the kit's (`keepFinished` in src/runners/bullmq/retention.ts), copied here
//   so no kit code runs: the last 10 000 on Redis, the last 10 minutes on PostgreSQL.
// - Worker: the given concurrency and BullMQ's defaults otherwise, like the kit's untuned one.
// - Clock: from the first add to the Worker's last `completed` event, as drain() times from
//   the first submit to the last `completed` lifecycle event.
// Connections (and PostgreSQL migrations, once per database) are made before the clock starts
// and the Queue and Worker are closed after every drain, so nothing is left open between
// drains; the stored queue stays for the next drain. close() obliterates it (the throughput
// scenario calls it when a baseline's cases are done; a private server is deleted anyway).

import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Queue, Worker, createPostgresBackend, runMigrations, type ConnectionOptions, type Job } from 'bullmq';
import pg from 'pg';
import type { Json } from '../../src/contract.ts';
import { DRAIN_TIMEOUT_MS, SUBMIT_WINDOW } from '../drive.ts';
import type { BenchServices, ThroughputBaseline } from '../types.ts';

type Kind = 'redis' | 'postgres';

const KEEP: Readonly<Record<Kind, { count?: number; age?: number }>> = { redis: { count: 10_000 }, postgres: { age: 600 } };
const PREFIX = 'need-a-queue-raw';
const SCHEMA = 'need_a_queue_raw';

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

interface Backend {
  readonly opts: Record<string, unknown>;
  readonly factory?: typeof createPostgresBackend;
}

const migrated = new Set<string>();

async function connect(kind: Kind, services: BenchServices): Promise<Backend> {
  if (kind === 'redis') {
    const u = new URL(await services.redisUrl());
    const connection: ConnectionOptions = { host: u.hostname, port: Number(u.port || 6379), maxRetriesPerRequest: null, ...(u.password === '' ? {} : { password: decodeURIComponent(u.password) }) };
    return { opts: { connection, prefix: PREFIX } };
  }
  const url = await services.databaseUrl();
  if (!migrated.has(url)) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await runMigrations(client, SCHEMA);
    } finally {
      await client.end();
    }
    migrated.add(url);
  }
  return { opts: { connection: { connectionString: url, schema: SCHEMA } }, factory: createPostgresBackend };
}

type Ctor<T> = new (...args: unknown[]) => T;

function makeQueue(name: string, kind: Kind, backend: Backend): Queue {
  return new (Queue as unknown as Ctor<Queue>)(name, { ...backend.opts, defaultJobOptions: { removeOnComplete: KEEP[kind], removeOnFail: KEEP[kind] } }, backend.factory);
}

function baseline(kind: Kind): ThroughputBaseline {
  // The queue every drain of this run uses, and how to reach it for close().
  let queueName: string | undefined;
  let lastBackend: Backend | undefined;
  return {
    id: `bullmq-raw-${kind}`,
    pairedWith: `bullmq-${kind}`,
    async drain({ job, data, jobs, concurrency, services }) {
      const backend = await connect(kind, services);
      lastBackend = backend;
      const name = (queueName ??= `raw-${process.pid}-${randomUUID().slice(0, 8)}`);
      const queue = makeQueue(name, kind, backend);
      let done = 0;
      let finish!: () => void;
      const all = new Promise<void>((resolve) => (finish = resolve));
      const worker = new (Worker as unknown as Ctor<Worker>)(name, processor, { ...backend.opts, concurrency }, backend.factory);
      worker.on('completed', () => {
        if (++done === jobs) finish();
      });
      worker.on('error', () => undefined);
      queue.on('error', () => undefined);
      try {
        await Promise.all([queue.waitUntilReady(), worker.waitUntilReady()]);
        const started = performance.now();
        for (let sent = 0; sent < jobs; sent += SUBMIT_WINDOW) {
          const window: Promise<unknown>[] = [];
          for (let i = sent; i < Math.min(jobs, sent + SUBMIT_WINDOW); i++) window.push(queue.add(job, data));
          await Promise.all(window);
        }
        // A lost `completed` event must not hang the run: the drain fails, the scenario says so.
        const timer = sleep(DRAIN_TIMEOUT_MS, 'timeout' as const, { ref: false });
        if ((await Promise.race([all.then(() => 'done' as const), timer])) === 'timeout') {
          throw new Error(`raw drain of ${jobs} ${job} jobs did not finish within ${DRAIN_TIMEOUT_MS} ms (${done} finished)`);
        }
        return performance.now() - started;
      } finally {
        await worker.close(true);
        await queue.close();
      }
    },
    async close() {
      if (queueName === undefined || lastBackend === undefined) return;
      const queue = makeQueue(queueName, kind, lastBackend);
      queueName = undefined;
      try {
        await queue.obliterate({ force: true });
      } finally {
        await queue.close();
      }
    },
  };
}

export const bullmqRawRedis = baseline('redis');
export const bullmqRawPostgres = baseline('postgres');
export const baselines: readonly ThroughputBaseline[] = [bullmqRawRedis, bullmqRawPostgres];
