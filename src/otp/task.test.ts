import { describe, expect, it } from 'vitest';
import { TaskCancelledError, TaskFailedError, TimeoutError } from '../errors.ts';
import { Task } from './task.ts';

const never = (signal: AbortSignal) =>
  new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true }));

describe('Task', () => {
  it('resolves await with the work\'s value', async () => {
    await expect(Task.start(() => Promise.resolve(42)).await()).resolves.toBe(42);
  });

  it('rejects with TaskFailedError whose cause is the work\'s own error', async () => {
    const own = new Error('own');
    const failure = await Task.start(() => Promise.reject(own)).await().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(TaskFailedError);
    expect((failure as TaskFailedError).cause).toBe(own);
  });

  it('a failed task that nobody awaits is no unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const listener = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', listener);
    Task.start(() => Promise.reject(new Error('ignored')));
    await new Promise((resolve) => setTimeout(resolve, 20));
    process.off('unhandledRejection', listener);
    expect(unhandled).toEqual([]);
  });

  it('await times out with TimeoutError and aborts the signal the work sees', async () => {
    const task = Task.start(never);
    await expect(task.await(20)).rejects.toBeInstanceOf(TimeoutError);
    expect(task.signal.aborted).toBe(true);
  });

  it('yield reports running without cancelling, then ok once done', async () => {
    let finish!: (value: string) => void;
    const task = Task.start(() => new Promise<string>((resolve) => (finish = resolve)));
    await expect(task.yield(10)).resolves.toEqual({ status: 'running' });
    expect(task.signal.aborted).toBe(false);
    finish('done');
    await expect(task.yield(1000)).resolves.toEqual({ status: 'ok', value: 'done' });
  });

  it('cancel aborts the work\'s signal and rejects await with TaskCancelledError', async () => {
    const task = Task.start(never);
    task.cancel();
    expect(task.signal.aborted).toBe(true);
    await expect(task.await()).rejects.toBeInstanceOf(TaskCancelledError);
  });

  it('cancel leaves the signal aborted, with the reason, even when the work took no signal', async () => {
    const task = Task.start(() => new Promise<never>(() => undefined));
    task.cancel();
    expect(task.signal.aborted).toBe(true);
    expect(task.signal.reason).toBeInstanceOf(TaskCancelledError);
    await expect(task.await()).rejects.toBeInstanceOf(TaskCancelledError);
  });

  it('a caller\'s AbortSignal cancels the task', async () => {
    const controller = new AbortController();
    const task = Task.start(never, { signal: controller.signal });
    controller.abort();
    await expect(task.await()).rejects.toBeInstanceOf(TaskCancelledError);
  });

  it('the timeoutMs option fails a task that runs too long', async () => {
    const task = Task.start(never, { timeoutMs: 20 });
    await expect(task.await()).rejects.toBeInstanceOf(TimeoutError);
  });

  it('a pending task runs nothing until begin, and one cancelled while pending never runs', async () => {
    let ran = false;
    const task = Task.pending<string>();
    expect(task.outcome).toEqual({ status: 'running' });
    task.cancel();
    expect(task.begin(() => ((ran = true), 'late'))).toBe(false);
    expect(ran).toBe(false);
    await expect(task.await()).rejects.toBeInstanceOf(TaskCancelledError);
  });

  it('onSettle hears the outcome once, before await returns', async () => {
    const heard: unknown[] = [];
    const task = Task.start(() => Promise.resolve(7), { onSettle: (outcome) => heard.push(outcome) });
    await expect(task.await()).resolves.toBe(7);
    task.cancel();
    expect(heard).toEqual([{ status: 'ok', value: 7 }]);
  });
});
