// The event-loop probe: a loop blocked by synchronous work reads as lag, and its percentiles
// never exceed its max (two histograms, each rounding a percentile up to its bucket's top).

import { describe, expect, it } from 'vitest';
import { lagDuring } from './event-loop.ts';

const spin = (ms: number) => {
  const end = performance.now() + ms;
  while (performance.now() < end);
};

describe('lagDuring', () => {
  it('reads a blocked loop as lag, with p50 ≤ p99 ≤ max', async () => {
    for (let i = 0; i < 5; i++) {
      const lag = await lagDuring(async () => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        spin(80 + i * 7.3);
        await new Promise((resolve) => setTimeout(resolve, 5));
      });
      expect(lag.max).toBeGreaterThanOrEqual(70);
      expect(lag.p50).toBeLessThanOrEqual(lag.p99);
      expect(lag.p99).toBeLessThanOrEqual(lag.max);
    }
  });
});
