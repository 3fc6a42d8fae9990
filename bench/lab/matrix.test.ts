// The matrix reads cells from a results file and decides nothing itself: what the lab stored
// (counts, expectations, agreement, not-applicable rows) is what it shows.

import { describe, expect, it } from 'vitest';
import { withSummary, type BenchResults } from '../results.ts';
import { sampleResults } from '../test-fixtures.ts';
import { formatLab, labGrid, labMatrix, runnerLosses } from './matrix.ts';

function m(subject: string, fault: string, metric: string, value: number, notes: Record<string, string | boolean> = {}) {
  return withSummary({ scenario: 'lab', subject, case: fault, metric, unit: 'jobs', better: 'lower', samples: [value], notes: { setup: `${fault} setup`, settings: 'c=10', reason: `${fault} reason`, ...notes } });
}

function results(): BenchResults {
  return {
    ...sampleResults(),
    scenarios: ['lab'],
    subjects: ['fire-and-forget', 'bullmq-redis'],
    measurements: [
      m('fire-and-forget', 'sigkill', 'submitted', 60),
      m('fire-and-forget', 'sigkill', 'done once', 0),
      m('fire-and-forget', 'sigkill', 'lost', 60, { expect: 'lost > 0', agrees: true }),
      m('bullmq-redis', 'sigkill', 'submitted', 60),
      m('bullmq-redis', 'sigkill', 'done once', 57),
      m('bullmq-redis', 'sigkill', 'done more than once', 3),
      m('bullmq-redis', 'sigkill', 'lost', 0, { expect: 'lost = 0', agrees: true }),
      m('bullmq-redis', 'redis-no-aof', 'submitted', 500),
      m('bullmq-redis', 'redis-no-aof', 'lost', 12, { expect: 'lost = 500', agrees: false }),
    ],
    skipped: [
      { scenario: 'lab', subject: 'fire-and-forget', case: 'redis-no-aof', reason: 'does not apply: it keeps jobs in memory', fix: '-' },
      { scenario: 'throughput', subject: 'bullmq-redis', reason: 'No Redis', fix: 'set REDIS_URL' },
    ],
  };
}

describe('labMatrix', () => {
  it('has one cell per runner and fault, in the order run, with the verdict the lab stored', () => {
    const matrix = labMatrix(results());
    expect(matrix.faults).toEqual(['sigkill', 'redis-no-aof']);
    expect(matrix.runners).toEqual(['fire-and-forget', 'bullmq-redis']);
    expect(matrix.cells.map((c) => [c.fault, c.runner, c.verdict])).toEqual([
      ['sigkill', 'fire-and-forget', 'agrees'],
      ['sigkill', 'bullmq-redis', 'agrees'],
      ['redis-no-aof', 'fire-and-forget', 'n/a'],
      ['redis-no-aof', 'bullmq-redis', 'DISAGREES'],
    ]);
    expect(matrix.rows[1]).toEqual(['sigkill', 'bullmq-redis', 'c=10', '0 lost of 60 · 57 done · 3 done twice+', 'lost = 0', 'agrees', 'sigkill reason']);
  });

  it('flags a disagreeing cell with both sides, and says the measurement wins', () => {
    expect(labMatrix(results()).flags).toEqual(['redis-no-aof × bullmq-redis: measured 12 lost of 500; expected lost = 500 (redis-no-aof reason). The measurement wins.']);
  });

  it('makes a runner × fault grid and a one-line loss summary per runner', () => {
    const matrix = labMatrix(results());
    expect(labGrid(matrix)).toEqual([
      ['runner', 'sigkill', 'redis-no-aof'],
      ['fire-and-forget', '60/60 lost', 'n/a'],
      ['bullmq-redis', '0 lost, 3 twice', '12/500 lost (!)'],
    ]);
    expect(runnerLosses(matrix, 'fire-and-forget')).toBe('loses jobs on sigkill');
    expect(runnerLosses(matrix, 'task')).toBeUndefined();
    expect(formatLab(matrix)).toContain('fire-and-forget  n/a: does not apply: it keeps jobs in memory');
  });

  it('counts the faults a runner lost nothing in, one fault or several', () => {
    const sigkill = results().measurements.filter((x) => x.subject === 'bullmq-redis' && x.case === 'sigkill');
    const throwing = [m('bullmq-redis', 'throw', 'submitted', 20), m('bullmq-redis', 'throw', 'lost', 0, { expect: 'lost = 0', agrees: true })];
    expect(runnerLosses(labMatrix({ ...results(), measurements: sigkill }), 'bullmq-redis')).toBe('nothing lost in 1 fault');
    expect(runnerLosses(labMatrix({ ...results(), measurements: [...sigkill, ...throwing] }), 'bullmq-redis')).toBe('nothing lost in 2 faults');
  });

  it('is empty for a results file without the lab', () => {
    expect(labMatrix(sampleResults()).cells).toEqual([]);
  });
});
