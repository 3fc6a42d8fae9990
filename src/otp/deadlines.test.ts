import { describe, expect, it } from 'vitest';
import { Deadlines } from './deadlines.ts';

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Deadlines (many timeouts on one timer)', () => {
  it('keeps a deadline past the longest Node timer (2^31 − 1 ms) without overflowing its timer', async () => {
    const deadlines = new Deadlines();
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.name);
    process.on('warning', onWarning);
    let expired = 0;
    const entry = deadlines.add(2 ** 31 + 1000, () => expired++);
    await wait(40);
    deadlines.remove(entry);
    process.off('warning', onWarning);
    expect(expired).toBe(0);
    // Node arms an overflowing timer for 1 ms and says so with this warning.
    expect(warnings).not.toContain('TimeoutOverflowWarning');
  });

  it('expires an entry once its time has passed', async () => {
    const deadlines = new Deadlines();
    let expired = 0;
    deadlines.add(10, () => expired++);
    await wait(40);
    expect(expired).toBe(1);
  });

  it('never expires an entry removed in time', async () => {
    const deadlines = new Deadlines();
    let expired = 0;
    const entry = deadlines.add(10, () => expired++);
    deadlines.remove(entry);
    await wait(40);
    expect(expired).toBe(0);
  });

  it('expires a short deadline added after a long one (re-arms for the earliest)', async () => {
    const deadlines = new Deadlines();
    const order: string[] = [];
    const long = deadlines.add(10_000, () => order.push('long'));
    deadlines.add(10, () => order.push('short'));
    await wait(40);
    expect(order).toEqual(['short']);
    deadlines.remove(long);
  });
});
