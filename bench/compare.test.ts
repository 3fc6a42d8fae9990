import { describe, expect, it } from 'vitest';
import { compareResults, formatComparison } from './compare.ts';
import { sampleResults } from './test-fixtures.ts';

describe('compare', () => {
  it('passes an identical pair', () => {
    const c = compareResults(sampleResults(), sampleResults());
    expect(c.figures).toHaveLength(2);
    expect(c.regressions).toHaveLength(0);
    expect(formatComparison(c)).toMatch(/no regressions beyond 10%/);
  });

  it('flags a 20% throughput drop', () => {
    const c = compareResults(sampleResults([1000, 1010, 990]), sampleResults([800, 808, 792]));
    expect(c.regressions.map((r) => r.key)).toEqual(['throughput · task · noop c=50 · jobs/s']);
    expect(c.regressions[0]?.ratio).toBeCloseTo(0.8);
    expect(formatComparison(c)).toMatch(/REGRESSION \(20% worse\)/);
  });

  it('does not flag a 20% throughput gain', () => {
    expect(compareResults(sampleResults(), sampleResults([1200, 1212, 1188])).regressions).toHaveLength(0);
  });
});
