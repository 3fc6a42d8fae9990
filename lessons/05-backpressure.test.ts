// Proves lesson 05: the same fast producer leaves nearly every job waiting in memory on a runner
// with an unbounded line (task), and is held to the buffer's size on the stage runner.

import { describe, expect, it } from 'vitest';
import { compare } from './05-backpressure/producer.ts';

describe('lesson 05: backpressure', () => {
  it('task: all but the running jobs wait in memory; stage: never more than the buffer (16) and the one being taken', async () => {
    const lines: string[] = [];
    await compare((line) => lines.push(line), 1000);
    const [task, stage] = lines.map((line) => Number(/at most (\d+) of/.exec(line)?.[1]));
    expect(task).toBe(1000 - 4);
    expect(stage).toBeGreaterThanOrEqual(16);
    expect(stage).toBeLessThanOrEqual(16 + 1);
    await expect(`${lines.join('\n')}\n`).toMatchFileSnapshot('./outputs/05-producer.txt');
  });
});
