import { describe, expect, it } from 'vitest';
import { findBaseline, findBaselines } from './discover.ts';

describe('finding baselines', () => {
  it('finds every baseline in bench/baselines/, peers and floors included', async () => {
    const ids = (await findBaselines()).map((b) => b.id);
    expect(ids).toEqual(expect.arrayContaining(['promise-raw', 'p-queue', 'p-queue-bare', 'piscina', 'bullmq-raw-redis', 'bullmq-raw-postgres']));
  });

  it('finds one baseline by id, and none for an id no file names', async () => {
    expect((await findBaseline('p-queue'))?.id).toBe('p-queue');
    expect((await findBaseline('p-queue-bare'))?.id).toBe('p-queue-bare');
    expect(await findBaseline('no-such-baseline')).toBeUndefined();
  });
});
