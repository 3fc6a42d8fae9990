// PostgreSQL connections killed under a bullmq-postgres worker process: pg_terminate_backend
// on every client backend, round after round while short jobs keep the worker's completion
// writes in flight (the 3 rounds 1.5 s apart hit one 1–3 times in 300 jobs, not in
// every run; 10 rounds 300 ms apart hit one in every run tried). A job whose effect happened must
// not end `failed` because the write that records its completion lost its connection: that
// write is the store's failure, not the job's, and the worker retries it. Counted from the
// ledger (each job ran) and from the store (none failed), on a private embedded PostgreSQL,
// since terminating backends on the run's shared one would break the tests beside this one.

import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { readStore } from '../../../bench/lab/store.ts';
import { createLedger } from '../../ledger/ledger.ts';
import { startEmbeddedPostgres } from '../../services/index.ts';
import { createRunner } from '../registry.ts';
import { killAllWorkers, spawnWorker } from './fault-helpers.ts';

const JOBS = 600;
const ROUNDS = 10;
const ROUND_GAP_MS = 300;

/** Terminates every client backend but the one asking; how many it ended. */
async function terminateClients(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ ended: boolean }>("select pg_terminate_backend(pid) as ended from pg_stat_activity where backend_type = 'client backend' and pid <> pg_backend_pid()");
    return rows.filter((r) => r.ended).length;
  } finally {
    await client.end();
  }
}

describe('bullmq-postgres worker process, connections terminated', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    await killAllWorkers();
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  });

  it(`pg_terminate_backend ${ROUNDS}× under ${JOBS} jobs: each runs, none ends failed`, async () => {
    const postgres = await startEmbeddedPostgres();
    cleanups.push(() => postgres.stop());
    const ledger = createLedger();
    cleanups.push(() => Promise.resolve(ledger.remove()));
    const queue = `terminate-${randomUUID()}`;
    const producer = await createRunner('bullmq-postgres', { databaseUrl: postgres.url, queue, tuning: { consume: false, cleanup: false }, onError: () => undefined });
    cleanups.push(() => producer.stop({ drain: false }));
    const uuids = Array.from({ length: JOBS }, () => randomUUID());
    await Promise.all(uuids.map((uuid) => producer.submit('recorded', ledger.recorded(uuid, 'sleep', { ms: 10 }))));

    const worker = spawnWorker(['--runner', 'bullmq-postgres', '--queue', queue, '--concurrency', '10', '--url', postgres.url, '--lock-duration', '5000', '--stalled-interval', '1000']);
    await worker.ready;
    await expect.poll(() => ledger.counts().size, { timeout: 20_000, interval: 20 }).toBeGreaterThanOrEqual(20);
    let ended = 0;
    for (let round = 0; round < ROUNDS; round++) {
      if (round > 0) await new Promise((resolve) => setTimeout(resolve, ROUND_GAP_MS));
      ended += await terminateClients(postgres.url);
    }
    expect(ended).toBeGreaterThan(0);
    await expect.poll(() => ledger.outcomes({ uuids }).lost, { timeout: 60_000, interval: 200 }).toBe(0);
    // What the store says of those jobs once the worker has settled them.
    await expect.poll(async () => (await readStore('postgres', postgres.url, 'need_a_queue', queue, false)).stored.size, { timeout: 30_000, interval: 500 }).toBe(0);
    const store = await readStore('postgres', postgres.url, 'need_a_queue', queue);
    const final = ledger.outcomes({ uuids });
    console.info(`[postgres terminate ×${ROUNDS}] ${JOBS} jobs, ${ended} backends ended: done ${final.done}, lost ${final.lost}, duplicated ${final.duplicated}, failed in the store ${store.failed.size}`);
    expect(final.done).toBe(JOBS);
    expect([...store.failed]).toEqual([]);
  }, 180_000);
});
