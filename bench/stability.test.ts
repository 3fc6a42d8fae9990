import { describe, expect, it } from 'vitest';
import { formatStability, stabilityOf } from './stability.ts';
import { sampleResults } from './test-fixtures.ts';

describe('stability across runs', () => {
  it('passes three runs whose medians agree within 15%', () => {
    const s = stabilityOf([sampleResults([1000, 1000, 1000]), sampleResults([1050, 1050, 1050]), sampleResults([960, 960, 960])], { scenario: 'throughput' });
    expect(s.figures).toHaveLength(1);
    expect(s.unstable).toHaveLength(0);
    expect(formatStability(s)).toMatch(/stable: every median within 15%/);
  });

  it('flags a figure whose median moved by more than 15% in one of three runs', () => {
    const s = stabilityOf([sampleResults([1000, 1000, 1000]), sampleResults([1000, 1000, 1000]), sampleResults([800, 800, 800])], { scenario: 'throughput' });
    expect(s.unstable.map((f) => f.key)).toEqual(['throughput · task · noop c=50 · jobs/s']);
    expect(s.unstable[0]?.spread).toBeCloseTo(0.2);
    expect(formatStability(s)).toMatch(/UNSTABLE/);
  });
});
