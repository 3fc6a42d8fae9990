// Proves lesson 00: one event loop with no preemption, and the one interface every runner
// implements (the page's list of runners is the registry's).

import { describe, expect, it } from 'vitest';
import { runnerIds } from '../src/runners/registry.ts';
import { timerBehindBusyCode } from './00-the-question/one-loop.ts';

describe('lesson 00: the question', () => {
  it('a timer due at once fires only after busy code returns: nothing preempts running JavaScript', async () => {
    const happened = await timerBehindBusyCode(50);
    expect(happened).toEqual(['timer set, due at once', 'busy for 50 ms, done', 'timer fired']);
    await expect(`${happened.join('\n')}\n`).toMatchFileSnapshot('./outputs/00-one-loop.txt');
  });

  it('the page lists every runner the registry has, in the registry\'s order', () => {
    expect(runnerIds).toEqual(['fire-and-forget', 'task', 'genserver', 'stage', 'worker-pool', 'bullmq-redis', 'bullmq-postgres']);
  });
});
