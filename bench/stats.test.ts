import { describe, expect, it } from 'vitest';
import { NOISY_SPREAD, median, summarize } from './stats.ts';

describe('summarize', () => {
  it('takes the median with min and max of the repeats', () => {
    expect(summarize([10, 12, 11])).toMatchObject({ median: 11, min: 10, max: 12, noisy: false });
  });

  it('averages the middle two of an even count', () => {
    expect(median([1, 2, 3, 4])).toBe(2.5);
  });

  it('flags a figure forced to be noisy', () => {
    // Repeats that disagree by far more than a quarter of the median.
    const summary = summarize([1000, 400, 1100, 950, 1050]);
    expect(summary.spread).toBeGreaterThan(NOISY_SPREAD);
    expect(summary.noisy).toBe(true);
  });

  it('does not flag a steady figure', () => {
    expect(summarize([1000, 1010, 990, 1005, 995]).noisy).toBe(false);
  });

  it('never flags a single sample: its spread is unknown, not small', () => {
    expect(summarize([42])).toMatchObject({ spread: 0, noisy: false });
  });
});
