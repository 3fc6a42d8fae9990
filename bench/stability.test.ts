import { describe, expect, it } from 'vitest';
import { formatStability, notLikeForLike, stabilityOf } from './stability.ts';
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

  it('refuses runs of different profiles, after saying what differs', () => {
    const quick = sampleResults();
    const s = stabilityOf([quick, { ...quick, environment: { ...quick.environment, profile: 'full', cores: 64 } }]);
    expect(notLikeForLike(s)).toBe(true);
    const text = formatStability(s);
    expect(text).toMatch(/what differs: profile quick → full; cores \d+ → 64/);
    expect(text).toMatch(/NOT LIKE FOR LIKE/);
    expect(text).not.toMatch(/throughput ·/);
  });

  it('names an interrupted run and does not call the machine stable on it', () => {
    const s = stabilityOf([sampleResults(), { ...sampleResults(), complete: false }]);
    expect(s.interrupted).toEqual([2]);
    expect(formatStability(s)).toMatch(/run 2: .*INTERRUPTED/);
    expect(formatStability(s)).toMatch(/not a pass: run 2 was interrupted/);
  });
});
