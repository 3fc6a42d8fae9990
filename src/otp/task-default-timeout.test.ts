// Its own file: the shared deadlines timer (deadlines.ts) must not see real and fake clocks in
// one module instance, and vitest gives each test file fresh modules.

import { afterEach, describe, expect, it, vi } from 'vitest';
import { TimeoutError } from '../errors.ts';
import { Task } from './task.ts';

afterEach(() => {
  vi.useRealTimers();
});

describe('Task.await default timeout', () => {
  it('gives up after 5 s by default, as Elixir\'s Task.await, and cancels the work', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    const task = Task.start(() => new Promise<never>(() => undefined));
    const outcome: unknown[] = [];
    task.await().catch((error: unknown) => outcome.push(error));
    await vi.advanceTimersByTimeAsync(4990);
    expect(outcome).toEqual([]);
    await vi.advanceTimersByTimeAsync(20);
    expect(outcome).toHaveLength(1);
    expect(outcome[0]).toBeInstanceOf(TimeoutError);
    expect((outcome[0] as TimeoutError).timeoutMs).toBe(5000);
    expect(task.signal.aborted).toBe(true);
  });
});
