// A `need-a-queue worker` process fed by plain BullMQ, with no kit code on the producer side:
// jobs added as `queue.add(name, data)` run as catalogue jobs (the README's example, run as
// written), a job the catalogue cannot run fails at once and for good with what the worker
// expects, and a worker with no store to use says which flag to pass.

import { randomUUID } from 'node:crypto';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Queue, createPostgresBackend, type Job } from 'bullmq';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultNamespace } from './descriptor.ts';
import { addPlainJobs } from './examples/plain-bullmq-producer.ts';
import { killAllWorkers, spawnWorker } from './fault-helpers.ts';
import { WORKER_PROCESS_FILE } from './worker-process.ts';
import { testDatabaseUrl, testRedisUrl } from '../../testing/services.ts';

/** What the tests read of a stored job, on either backend. */
type StoredJob = Pick<Job, 'finishedOn' | 'returnvalue' | 'failedReason' | 'attemptsMade'>;
interface AnyQueue {
  getJob(id: string): Promise<StoredJob | undefined>;
  getJobState(id: string): Promise<string>;
  obliterate(opts: { force: boolean }): Promise<void>;
  close(): Promise<void>;
}

/** Polls a job until it has finished (completed or failed), or `timeoutMs` passes. */
async function finished(queue: AnyQueue, id: string, timeoutMs = 20_000): Promise<StoredJob> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const job = await queue.getJob(id);
    if (job !== undefined && typeof job.finishedOn === 'number') return job;
    if (Date.now() > until) throw new Error(`job ${id} did not finish within ${timeoutMs} ms (state: ${await queue.getJobState(id)})`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('a worker process fed by plain BullMQ', () => {
  const queues: AnyQueue[] = [];
  afterEach(async () => {
    await killAllWorkers();
    for (const queue of queues.splice(0)) {
      await queue.obliterate({ force: true }).catch(() => undefined);
      await queue.close();
    }
  });

  function redisWorker(name: string) {
    return spawnWorker(['--runner', 'bullmq-redis', '--queue', name, '--concurrency', '4', '--url', testRedisUrl()]);
  }

  it("runs jobs added with the README's plain queue.add: a sleep, and a fail retried once", async () => {
    const name = `plain-${randomUUID()}`;
    const worker = redisWorker(name);
    await worker.ready;
    const url = new URL(testRedisUrl());
    const [sleepId = '', failId = ''] = await addPlainJobs(url.hostname, Number(url.port), name);
    const queue = new Queue(name, { connection: { host: url.hostname, port: Number(url.port) }, prefix: defaultNamespace.redis });
    queues.push(queue);
    const sleep = await finished(queue, sleepId);
    expect(sleep.returnvalue).toEqual({ slept: 100 });
    const fail = await finished(queue, failId);
    expect({ returnvalue: fail.returnvalue as unknown, attemptsMade: fail.attemptsMade }).toEqual({ returnvalue: { attempt: 2 }, attemptsMade: 2 });
  });

  it('a name the catalogue does not know, or data its job does not take, fails at once with what it expects, retries or not', async () => {
    const name = `plain-${randomUUID()}`;
    const worker = redisWorker(name);
    await worker.ready;
    const url = new URL(testRedisUrl());
    const queue = new Queue(name, { connection: { host: url.hostname, port: Number(url.port) }, prefix: defaultNamespace.redis });
    queues.push(queue);
    const unknown = await queue.add('email', { to: 'a@example.com' }, { attempts: 3 });
    const bad = await queue.add('sleep', { seconds: 1 }, { attempts: 3 });
    const wrapped = await queue.add('fail', { data: { times: 1 } });
    const failedReason = async (job: { id?: string | undefined }) => {
      const done = await finished(queue, job.id ?? '');
      return { failedReason: done.failedReason, attemptsMade: done.attemptsMade };
    };
    const unknownReason = 'Unknown job `"email"` (string): this worker runs the need-a-queue catalogue (`need-a-queue jobs`); use one of: noop, sleep, cpu, fail, crash, hang, lookup, recorded';
    expect(await failedReason(unknown)).toEqual({ failedReason: unknownReason, attemptsMade: 1 });
    // The README shows this very line.
    expect(readFileSync(new URL('../../../README.md', import.meta.url), 'utf8')).toContain(`\`\`\`text\n${unknownReason}\n\`\`\``);
    expect(await failedReason(bad)).toEqual({ failedReason: 'Bad data for job `sleep`: `ms` is missing; pass { "ms": an integer from 0 to 3600000 }', attemptsMade: 1 });
    // The wrapper an earlier version of the kit stored is just data the job does not take.
    expect((await failedReason(wrapped)).failedReason).toBe('Bad data for job `fail`: `times` is missing; pass { "times": an integer from 0 to 1000 }');
  });

  it('on PostgreSQL, the same queue.add with the schema the README names', async () => {
    const name = `plain-${randomUUID()}`;
    const worker = spawnWorker(['--runner', 'bullmq-postgres', '--queue', name, '--concurrency', '4', '--url', testDatabaseUrl()]);
    await worker.ready;
    const queue = new Queue(name, { connection: { connectionString: testDatabaseUrl(), schema: defaultNamespace.postgres } }, createPostgresBackend);
    queues.push(queue);
    const job = await queue.add('sleep', { ms: 10 });
    expect((await finished(queue as unknown as AnyQueue, job.id ?? '')).returnvalue).toEqual({ slept: 10 });
  });
});

describe('a worker process with no store', () => {
  it.each([
    ['bullmq-redis', /The worker needs a Redis URL: none given\n.*pass --redis-url to `need-a-queue worker` \(or set REDIS_URL\)/],
    ['bullmq-postgres', /The worker needs a PostgreSQL URL: none given\n.*pass --database-url to `need-a-queue worker` \(or set DATABASE_URL\)/],
  ])('%s: exit 1 naming the flag', async (runner, expected) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WORKER_PROCESS_FILE, '--runner', runner, '--queue', 'q'], { env: { ...process.env, REDIS_URL: '', DATABASE_URL: '' } });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(stderr).toMatch(expected);
    expect(stderr).not.toMatch(/redisUrl|databaseUrl/);
  });
});
