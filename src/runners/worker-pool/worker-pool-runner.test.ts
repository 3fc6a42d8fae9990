import { describe, expect, it } from 'vitest';
import type { Ticket } from '../../contract.ts';
import { JobFailedError, QueueFullError, TimeoutError } from '../../errors.ts';
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

  it('a thread\'s death leaves the pool running: every job queued behind a `crash` completes, the process lives', async () => {
    const runner = await createWorkerPoolRunner({ concurrency: 10 });
    const crash = await runner.submit('crash', null);
    const alongside = await Promise.all(Array.from({ length: 9 }, () => runner.submit('sleep', { ms: 200 })));
    // The slots are full: these wait in line until the crash (and its thread's jobs) free them.
    const behind = await Promise.all(Array.from({ length: 10 }, () => runner.submit('sleep', { ms: 200 })));
    const outcome = (ticket: Ticket) => ticket.result({ timeoutMs: 20_000 }).then(() => 'completed', (error: unknown) => ((error as JobFailedError).cause as Error).message);
    expect(await outcome(crash)).toContain('crash: uncaught exception');
    // Jobs that shared the dead thread fail with its error; the others complete.
    for (const state of await Promise.all(alongside.map(outcome))) expect(state === 'completed' || state.includes('crash: uncaught exception')).toBe(true);
    expect(await Promise.all(behind.map(outcome))).toEqual(behind.map(() => 'completed'));
    const report = await runner.stop();
    expect(report.abandoned).toBe(0);
  });

  it('after timeoutMs terminates the only slot\'s thread, the jobs queued behind it run', async () => {
    const runner = await createWorkerPoolRunner({ concurrency: 1 });
    const hang = await runner.submit('hang', null, { timeoutMs: 300 });
    const behind = await Promise.all(Array.from({ length: 5 }, () => runner.submit('sleep', { ms: 10 })));
    const failure = await hang.result({ timeoutMs: 20_000 }).catch((error: unknown) => error);
    expect((failure as JobFailedError).cause).toBeInstanceOf(TimeoutError);
    const results = await Promise.all(behind.map((ticket) => ticket.result({ timeoutMs: 20_000 })));
    expect(results).toEqual(behind.map(() => ({ slept: 10 })));
    const report = await runner.stop();
    expect(report.abandoned).toBe(0);
  });

  it('holds jobs past `concurrency` in its own line, bounded by maxQueue', async () => {
    const runner = await createWorkerPoolRunner({ concurrency: 1, maxQueue: 2 });
    const tickets = await Promise.all(Array.from({ length: 3 }, () => runner.submit('sleep', { ms: 300 })));
    await expect(runner.submit('noop', null)).rejects.toBeInstanceOf(QueueFullError);
    await Promise.all(tickets.map((ticket) => ticket.result({ timeoutMs: 20_000 })));
    await runner.stop();
  });
});
