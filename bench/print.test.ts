import { describe, expect, it } from 'vitest';
import type { Json } from '../src/contract.ts';
import { comparisonCell } from './print.ts';
import { withSummary, type BenchResults, type SummarizedMeasurement } from './results.ts';
import { UNBOUNDED_NOTE } from './subjects.ts';
import { sampleResults } from './test-fixtures.ts';

const tp = (subject: string, kase: string, jobsPerSecond: number, notes: Json = { concurrency: 50 }) =>
  withSummary({ scenario: 'throughput', subject, case: kase, metric: 'jobs/s', unit: 'jobs/s', better: 'higher', samples: [jobsPerSecond], notes });

function run(measurements: SummarizedMeasurement[], subjects = [...new Set(measurements.map((m) => m.subject))]): BenchResults {
  return { ...sampleResults(), subjects, measurements };
}

describe('the comparison column says which way is better', () => {
  it('shows an in-process noop as time added per job, not a ratio to a bare promise', () => {
    const task = tp('task', 'noop c=50', 50_000);
    const results = run([task, tp('promise-raw', 'noop c=50', 10_000_000)]);
    // 1e6/50 000 − 1e6/10 000 000 = 20 − 0.1 µs.
    expect(comparisonCell(task, results)).toBe('+20 µs/job over promise-raw');
  });

  it('writes a ratio with its direction', () => {
    const slower = tp('genserver', 'sleep 5ms c=50', 8000);
    const same = tp('stage', 'sleep 5ms c=50', 10_001);
    const results = run([slower, same, tp('promise-raw', 'sleep 5ms c=50', 10_000)]);
    expect(comparisonCell(slower, results)).toBe('0.80× promise-raw: 20% slower');
    expect(comparisonCell(same, results)).toBe('1.00× promise-raw: the same');
  });

  it('gives the reason when the kit beats the library it wraps', () => {
    const pg = tp('bullmq-postgres', 'noop c=50', 1200);
    const pool = tp('worker-pool', 'cpu 2ms c=50', 950);
    const results = run([pg, tp('bullmq-raw-postgres', 'noop c=50', 600), pool, tp('promise-raw', 'cpu 2ms c=50', 500)]);
    expect(comparisonCell(pg, results)).toBe("2.00× bullmq-raw-postgres: 100% faster (the kit stores a tick's submits in one transaction)");
    expect(comparisonCell(pool, results)).toMatch(/^1\.90× promise-raw: 90% faster \(a thread per core, here \d+\)$/);
  });

  it('does not compare a runner with no concurrency limit with a baseline that has one', () => {
    const unbounded = tp('fire-and-forget', 'sleep 5ms no limit', 50_000, { note: UNBOUNDED_NOTE });
    expect(comparisonCell(unbounded, run([unbounded, tp('promise-raw', 'sleep 5ms c=50', 10_000)]))).toBe("none: it has no concurrency limit, promise-raw has the others' limit");
  });

  it('names the baseline to add when the run left it out', () => {
    const redis = tp('bullmq-redis', 'noop c=50', 8000);
    expect(comparisonCell(redis, run([redis]))).toBe('(add bullmq-raw-redis to --runners for a ratio)');
    expect(comparisonCell(redis, run([redis], ['bullmq-redis', 'bullmq-raw-redis']))).toBe('(bullmq-raw-redis not measured: see its skip row)');
  });

  it('writes micro ratios as time, so above 1× reads as slower', () => {
    const micro = (kase: string, us: number, notes: Json) => withSummary({ scenario: 'micro', subject: 'otp-task', case: kase, metric: 'µs/op', unit: 'µs', better: 'lower', samples: [us], notes });
    const kit = micro('Task.start + await', 0.6, { baselineOf: 'bare promise', ratioToRaw: 7.5 });
    expect(comparisonCell(kit, run([micro('bare promise', 0.08, {}), kit]))).toBe("+0.52 µs/op, 7.50× the raw op's time (slower)");
  });
});
