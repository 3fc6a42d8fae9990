// The worker's `--progress` line counts what it says under store faults: `running` is the jobs
// its processor holds at that moment, never more than its concurrency and back to 0 once the
// queue is empty, even after Redis died under jobs in flight (their completion writes failed,
// no completed/failed event came, and stalled-job recovery ran them again). It counted events,
// and read running=20 at concurrency 10 after such a restart.

import { afterEach, describe, expect, it } from 'vitest';
import type { Runner, Ticket } from '../../contract.ts';
import { startPrivateRedis, type PrivateRedis } from '../../services/index.ts';
import { createRunner } from '../registry.ts';
import { killAllWorkers, spawnWorker } from './fault-helpers.ts';

const CONCURRENCY = 10;
const JOBS = 200;

interface Progress {
  readonly completed: number;
  readonly running: number;
}

function progressLines(output: readonly string[]): Progress[] {
  return output.flatMap((line) => {
    const m = /^progress completed=(\d+) .*running=(\d+)/.exec(line);
    return m === null ? [] : [{ completed: Number(m[1]), running: Number(m[2]) }];
  });
}

describe('worker --progress under a store restart', () => {
  let redis: PrivateRedis | undefined;
  let producer: Runner | undefined;
  afterEach(async () => {
    await killAllWorkers();
    await producer?.stop({ drain: false }).catch(() => undefined);
    await redis?.stop();
  });

  it(`Redis SIGKILLed and restarted under ${CONCURRENCY} jobs in flight: running never passes ${CONCURRENCY} and ends at 0`, async () => {
    // appendfsync always: every stored job survives the kill, so all must finish in the end.
    redis = await startPrivateRedis({ appendonly: true, appendfsync: 'always' });
    const queue = 'progress-restart';
    producer = await createRunner('bullmq-redis', { redisUrl: redis.url, queue, tuning: { consume: false } });
    const tickets: Ticket[] = [];
    for (let i = 0; i < JOBS; i++) tickets.push(await producer.submit('sleep', { ms: 300 }));

    const worker = spawnWorker(['--runner', 'bullmq-redis', '--queue', queue, '--concurrency', String(CONCURRENCY), '--url', redis.url, '--lock-duration', '2000', '--stalled-interval', '1000', '--progress']);
    await worker.ready;
    // Kill the store while the worker holds a full set of jobs.
    await expect.poll(() => progressLines(worker.output).at(-1)?.running ?? 0, { timeout: 30_000, interval: 50 }).toBe(CONCURRENCY);
    // Down for longer than the lock (2 s): the completion writes of the jobs in flight fail for
    // good (their locks are gone), and stalled-job recovery runs those jobs again.
    await redis.kill('SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 3000));
    await redis.start();

    const results = await Promise.allSettled(tickets.map((t) => t.result({ timeoutMs: 90_000 })));
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    // Two more progress lines after the last job finished: the count has settled.
    const seen = progressLines(worker.output).length;
    await expect.poll(() => progressLines(worker.output).length, { timeout: 10_000 }).toBeGreaterThanOrEqual(seen + 2);
    const lines = progressLines(worker.output);
    expect(Math.max(...lines.map((l) => l.running))).toBeLessThanOrEqual(CONCURRENCY);
    expect(lines.at(-1)?.running).toBe(0);
  }, 150_000);
});
