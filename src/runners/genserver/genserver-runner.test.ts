import { describe, expect, it } from 'vitest';
import type { LifecycleEvent, Ticket } from '../../contract.ts';
import { QueueFullError } from '../../errors.ts';
import { createGenServerRunner } from './genserver-runner.ts';

describe('genserver runner', () => {
  it('runs the jobs sent to one server one at a time, in submit order', async () => {
    const runner = await createGenServerRunner({ concurrency: 1 });
    const events: LifecycleEvent[] = [];
    runner.onEvent((event) => events.push(event));
    const tickets: Ticket[] = [];
    for (let i = 0; i < 5; i++) tickets.push(await runner.submit('sleep', { ms: 2 }));
    await Promise.all(tickets.map((ticket) => ticket.result()));
    const order = events.filter((e) => e.type !== 'accepted').map((e) => `${e.type}:${tickets.findIndex((t) => t.id === e.jobId)}`);
    expect(order).toEqual(tickets.flatMap((_, i) => [`started:${i}`, `completed:${i}`]));
    await runner.stop();
  });

  it('refuses a job past the mailbox bound (maxQueue) with QueueFullError', async () => {
    const runner = await createGenServerRunner({ maxQueue: 2 });
    const started = new Promise<void>((resolve) => runner.onEvent((event) => event.type === 'started' && resolve()));
    await runner.submit('sleep', { ms: 100 });
    await started;
    // One job in hand, two waiting in the mailbox: the next is one too many.
    await runner.submit('sleep', { ms: 100 });
    await runner.submit('sleep', { ms: 100 });
    await expect(runner.submit('sleep', { ms: 100 })).rejects.toBeInstanceOf(QueueFullError);
    await runner.stop({ drain: false });
  });

  it('a failing job is a failed result, and the server goes on with the next job', async () => {
    const runner = await createGenServerRunner({});
    const failing = await runner.submit('fail', { times: 1 });
    const next = await runner.submit('noop', null);
    await expect(failing.result()).rejects.toThrow('planned failure 1 of 1');
    await expect(next.result()).resolves.toBeNull();
    await runner.stop();
  });
});
