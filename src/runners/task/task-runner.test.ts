import { describe, expect, it } from 'vitest';
import { JobFailedError, QueueFullError, TimeoutError } from '../../errors.ts';
import { createTaskRunner } from './task-runner.ts';

describe('task runner', () => {
  it('refuses jobs past maxQueue with QueueFullError', async () => {
    const runner = await createTaskRunner({ concurrency: 1, maxQueue: 1 });
    await runner.submit('sleep', { ms: 200 });
    await runner.submit('sleep', { ms: 200 });
    await expect(runner.submit('sleep', { ms: 200 })).rejects.toBeInstanceOf(QueueFullError);
    await runner.stop({ drain: false });
  });

  it('fails a job past its timeoutMs with the TimeoutError as cause', async () => {
    const runner = await createTaskRunner({});
    const ticket = await runner.submit('hang', null, { timeoutMs: 20 });
    const failure = await ticket.result().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(JobFailedError);
    expect((failure as JobFailedError).cause).toBeInstanceOf(TimeoutError);
    await runner.stop();
  });

  it('result({ timeoutMs }) stops waiting without cancelling the job', async () => {
    const runner = await createTaskRunner({});
    const ticket = await runner.submit('sleep', { ms: 100 });
    await expect(ticket.result({ timeoutMs: 10 })).rejects.toBeInstanceOf(TimeoutError);
    await expect(ticket.result()).resolves.toEqual({ slept: 100 });
    await runner.stop();
  });
});
