import { describe, expect, it } from 'vitest';
import { compareResults, comparisonPasses, formatComparison } from './compare.ts';
import { withSummary, type BenchResults } from './results.ts';
import { sampleResults } from './test-fixtures.ts';

/** A run with task and its peer, so it has a within-file ratio. */
function withRaw(task: number, raw: number, changes: Partial<BenchResults> = {}): BenchResults {
  const base = sampleResults([task, task, task]);
  const rawRow = withSummary({ scenario: 'throughput', subject: 'p-queue', case: 'sleep 5ms c=50', metric: 'jobs/s', unit: 'jobs/s', better: 'higher', samples: [raw] });
  const taskSleep = withSummary({ scenario: 'throughput', subject: 'task', case: 'sleep 5ms c=50', metric: 'jobs/s', unit: 'jobs/s', better: 'higher', samples: [task] });
  return { ...base, measurements: [...base.measurements, taskSleep, rawRow], ...changes };
}

const full = (r: BenchResults): BenchResults => ({ ...r, environment: { ...r.environment, profile: 'full' } });

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

  it('across profiles, says what differs first and compares only the ratios each file measured within itself', () => {
    // The full run is 3× faster in absolute terms, as a quiet server would be, but task ÷ p-queue is the same.
    const c = compareResults(full(withRaw(3000, 6000)), withRaw(1000, 2000));
    expect(c.basis).toBe('ratios');
    expect(c.figures.map((f) => [f.key, f.ratio])).toEqual([['throughput · task · sleep 5ms c=50 · jobs/s ÷ p-queue', 1]]);
    expect(comparisonPasses(c)).toBe(true);
    const text = formatComparison(c);
    expect(text.indexOf('what differs: profile full → quick')).toBeLessThan(text.indexOf('throughput ·'));
    expect(text).toMatch(/NOT LIKE FOR LIKE/);
  });

  it('compares every figure across profiles only when asked, and says so', () => {
    const c = compareResults(full(withRaw(3000, 6000)), withRaw(1000, 2000), { allFigures: true });
    expect(c.basis).toBe('figures');
    expect(c.regressions.length).toBeGreaterThan(0);
    expect(formatComparison(c)).toMatch(/compared figure by figure as asked/);
  });

  it('leaves out figures measured with different job counts, and counts them', () => {
    const lag = (jobs: number, ms: number) => withSummary({ scenario: 'event-loop', subject: 'genserver', case: 'cpu 5ms', metric: 'lag p99', unit: 'ms', better: 'lower', samples: [ms], notes: { jobs } });
    const a = { ...sampleResults(), measurements: [lag(60, 330)] };
    const b = { ...sampleResults(), measurements: [lag(400, 2000)] };
    const c = compareResults(a, b);
    expect(c.figures).toHaveLength(0);
    expect(c.otherJobCounts).toEqual(['event-loop · genserver · cpu 5ms · lag p99']);
    expect(formatComparison(c)).toMatch(/not compared, measured with other job counts: 1 \(event-loop 1\)/);
  });

  it('folds figures found in one file only into one line each way', () => {
    const extra = (n: number) => withSummary({ scenario: 'latency', subject: 'task', case: `noop rate=${n}/s`, metric: 'p50 submit→done', unit: 'ms', better: 'lower', samples: [1] });
    const a = { ...sampleResults(), measurements: [...sampleResults().measurements, extra(1), extra(2)] };
    const text = formatComparison(compareResults(a, sampleResults()));
    expect(text).toMatch(/^only in the before file: 2 \(latency 2\)$/m);
    expect(text).not.toMatch(/missing from the second file/);
  });

  it('never passes on an interrupted file, and names it', () => {
    const c = compareResults(sampleResults(), { ...sampleResults(), complete: false });
    expect(c.regressions).toHaveLength(0);
    expect(comparisonPasses(c)).toBe(false);
    const text = formatComparison(c);
    expect(text).toMatch(/^INTERRUPTED: the after file was cut short/m);
    expect(text).toMatch(/not a pass: the after file was interrupted$/m);
  });
});
