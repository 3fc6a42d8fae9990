import { describe, expect, it } from 'vitest';
import { JobFailedError, TimeoutError } from '../../errors.ts';
import { createWorkerPoolRunner } from './worker-pool-runner.ts';

describe('worker-pool runner', () => {
  it('a `crash` job fails its ticket; the process lives and the pool runs the next job on a fresh thread', async () => {
    const runner = await createWorkerPoolRunner({ concurrency: 1 });
    const crash = await runner.submit('crash', null);
    const failure = await crash.result().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(JobFailedError);
    expect(((failure as JobFailedError).cause as Error).message).toContain('crash: uncaught exception');
    const next = await runner.submit('noop', null);
    await expect(next.result()).resolves.toBeNull();
    await runner.stop();
  });

  it('keeps the event loop free while a `cpu` job runs', async () => {
    const runner = await createWorkerPoolRunner({ concurrency: 1 });
    const ticket = await runner.submit('cpu', { ms: 300 });
    let turns = 0;
    let done = false;
    void ticket.result().then(() => (done = true));
    // Count event-loop turns while the job burns its thread; on the main thread there would be none.
    while (!done) {
      await new Promise((resolve) => setImmediate(resolve));
      turns++;
    }
    expect(turns).toBeGreaterThan(100);
    await runner.stop();
  });

  it('runs `concurrency` jobs at once even with fewer threads than that (sleep jobs overlap in a thread)', async () => {
    const runner = await createWorkerPoolRunner({ concurrency: 8 });
    let running = 0;
    let most = 0;
    runner.onEvent((event) => {
      if (event.type === 'started') most = Math.max(most, ++running);
      if (event.type === 'completed' || event.type === 'failed') running--;
    });
    const tickets = await Promise.all(Array.from({ length: 16 }, () => runner.submit('sleep', { ms: 300 })));
    await Promise.all(tickets.map((t) => t.result({ timeoutMs: 20_000 })));
    expect(most).toBe(8);
    await runner.stop();
  });

  it('timeoutMs terminates a CPU-bound job\'s thread and fails it with TimeoutError', async () => {
    const runner = await createWorkerPoolRunner({ concurrency: 1 });
    const ticket = await runner.submit('cpu', { ms: 60_000 }, { timeoutMs: 200 });
    const failure = await ticket.result().catch((error: unknown) => error);
    expect((failure as JobFailedError).cause).toBeInstanceOf(TimeoutError);
    const next = await runner.submit('noop', null);
    await expect(next.result()).resolves.toBeNull();
    await runner.stop();
  });
});
