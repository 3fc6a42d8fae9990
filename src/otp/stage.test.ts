import { describe, expect, it } from 'vitest';
import { RunnerStoppedError } from '../errors.ts';
import { BoundedChannel, consume, pipe } from './stage.ts';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('Stage (bounded, demand-driven)', () => {
  it('a fast producer is held to the buffer size while a slow consumer works', async () => {
    const channel = new BoundedChannel<number>(8);
    const produced: number[] = [];
    function* source() {
      for (let i = 0; i < 1000; i++) {
        produced.push(i);
        yield i;
      }
    }
    let maxAhead = 0;
    const seen: number[] = [];
    await Promise.all([
      pipe(source(), channel),
      consume(channel, 1, async (item) => {
        seen.push(item);
        // How far the producer ran ahead of this consumer: the buffer, plus the item in hand.
        maxAhead = Math.max(maxAhead, produced.length - seen.length);
        await tick();
      }),
    ]);
    expect(seen).toHaveLength(1000);
    expect(channel.highWater).toBe(8);
    expect(maxAhead).toBeLessThanOrEqual(8 + 1);
  });

  it('an unbounded in-memory line, for contrast, holds everything the producer made', async () => {
    const line: number[] = [];
    let highWater = 0;
    // The same fast producer with nothing to slow it: it finishes before the consumer starts.
    for (let i = 0; i < 1000; i++) highWater = Math.max(highWater, line.push(i));
    let consumed = 0;
    for (let head = 0; head < line.length; head++) {
      consumed++;
      await tick();
    }
    expect(consumed).toBe(1000);
    expect(highWater).toBe(1000);
  });

  it('push waits while the buffer is full and resolves when a consumer takes an item', async () => {
    const channel = new BoundedChannel<string>(1);
    await channel.push('a');
    let accepted = false;
    const second = channel.push('b').then(() => (accepted = true));
    await tick();
    expect(accepted).toBe(false);
    expect(channel.blocked).toBe(1);
    await expect(channel.next()).resolves.toEqual({ value: 'a', done: false });
    await second;
    expect(channel.buffered).toBe(1);
  });

  it('consumers receive every item once, in order when there is one consumer', async () => {
    const channel = new BoundedChannel<number>(4);
    const seen: number[] = [];
    await Promise.all([pipe([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], channel), consume(channel, 1, (item) => (seen.push(item), Promise.resolve()))]);
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('abort drops what is buffered and rejects blocked producers', async () => {
    const channel = new BoundedChannel<number>(2);
    await channel.push(1);
    await channel.push(2);
    const blocked = channel.push(3);
    expect(channel.abort()).toEqual([1, 2]);
    await expect(blocked).rejects.toBeInstanceOf(RunnerStoppedError);
    await expect(channel.next()).resolves.toEqual({ value: undefined, done: true });
  });
});
