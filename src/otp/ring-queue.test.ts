import { describe, expect, it } from 'vitest';
import { RingQueue } from './ring-queue.ts';

describe('RingQueue', () => {
  it('keeps FIFO order across growth and wrap-around', () => {
    const queue = new RingQueue<number>(16);
    const out: number[] = [];
    let next = 0;
    // Interleave pushes and takes so the head wraps before the buffer grows.
    for (let round = 0; round < 50; round++) {
      for (let i = 0; i < 7; i++) queue.push(next++);
      for (let i = 0; i < 5; i++) out.push(queue.take() as number);
    }
    while (queue.size > 0) out.push(queue.take() as number);
    expect(out).toEqual(Array.from({ length: next }, (_, i) => i));
  });

  it('drains a million items (linear, unlike Array.shift)', () => {
    const queue = new RingQueue<number>();
    for (let i = 0; i < 1_000_000; i++) queue.push(i);
    let sum = 0;
    for (let v = queue.take(); v !== undefined; v = queue.take()) sum += v;
    expect(sum).toBe((999_999 * 1_000_000) / 2);
  });
});
