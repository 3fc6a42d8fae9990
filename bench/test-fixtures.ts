// A small valid results file for the results and compare tests.

import { describeEnvironment, withSummary, type BenchResults } from './results.ts';

export function sampleResults(throughput = [1000, 1010, 990]): BenchResults {
  return {
    schemaVersion: 1,
    environment: describeEnvironment('quick', { redis: { version: '7.2.4', origin: 'private redis-server' } }),
    startedAt: '2026-11-28T17:00:00.000Z',
    finishedAt: '2026-11-28T17:01:00.000Z',
    durationMs: 60_000,
    complete: true,
    scenarios: ['throughput', 'latency'],
    subjects: ['task', 'promise-raw'],
    measurements: [
      withSummary({ scenario: 'throughput', subject: 'task', case: 'noop c=50', metric: 'jobs/s', unit: 'jobs/s', better: 'higher', samples: throughput, notes: { jobs: 2000 } }),
      withSummary({ scenario: 'latency', subject: 'task', case: 'noop rate=1000/s', metric: 'p99 submit→done', unit: 'ms', better: 'lower', samples: [1.5] }),
    ],
    skipped: [{ scenario: 'throughput', subject: 'bullmq-redis', reason: 'No Redis', fix: 'set REDIS_URL' }],
  };
}
