import { describe, expect, it } from 'vitest';
import { ResultUnavailableError } from '../../errors.ts';
import { createStageRunner } from './stage-runner.ts';

describe('stage runner', () => {
  it('slows a fast submitter: submit waits while the buffer is full', async () => {
    const runner = await createStageRunner({ concurrency: 1, tuning: { bufferSize: 2 } });
    let accepted = 0;
    const submits = Array.from({ length: 10 }, () => runner.submit('hang', null).then(() => accepted++));
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
    // One job in the consumer's hands and two in the buffer; the other seven wait.
    expect(accepted).toBe(3);
    await runner.stop({ drain: false });
    // The waiting seven were never accepted: stop refuses them.
    const outcomes = await Promise.allSettled(submits);
    expect(outcomes.filter((o) => o.status === 'rejected')).toHaveLength(7);
  });

  it('has no results: ticket.result() rejects at once with ResultUnavailableError', async () => {
    const runner = await createStageRunner({});
    const ticket = await runner.submit('noop', null);
    await expect(ticket.result()).rejects.toBeInstanceOf(ResultUnavailableError);
    await runner.stop();
  });

  it('reports an abandoned buffered job in stop({ drain: false })', async () => {
    const runner = await createStageRunner({ concurrency: 1 });
    await runner.submit('sleep', { ms: 1000 });
    await runner.submit('sleep', { ms: 1000 });
    await new Promise((resolve) => setImmediate(resolve));
    await expect(runner.stop({ drain: false })).resolves.toEqual({ finished: 0, abandoned: 2, stored: 0 });
  });
});
