// A small valid results file for the results and compare tests, and the context a scenario
// test runs a scenario with.

import { describeEnvironment, withSummary, type BenchResults } from './results.ts';
import type { BenchContext, BenchServices, ThroughputBaseline } from './types.ts';

/** No Redis or PostgreSQL: a scenario test that asks for one fails, saying so. */
export const noServices: BenchServices = {
  redisUrl: () => Promise.reject(new Error('no service in this test')),
  databaseUrl: () => Promise.reject(new Error('no service in this test')),
};

/**
 * A quick-profile context for running one scenario in a test; `skipped` collects what the
 * scenario could not measure, as `subject: reason`.
 */
export function scenarioContext(options: {
  readonly subjects: readonly string[];
  readonly baselines?: readonly ThroughputBaseline[];
  readonly services?: BenchServices;
  readonly progress?: (message: string) => void;
}): { context: BenchContext; skipped: string[] } {
  const skipped: string[] = [];
  const context: BenchContext = {
    profile: 'quick',
    subjects: options.subjects,
    baselines: options.baselines ?? [],
    services: options.services ?? noServices,
    signal: new AbortController().signal,
    progress: options.progress ?? (() => undefined),
    skip: (subject, reason) => void skipped.push(`${subject}: ${reason}`),
  };
  return { context, skipped };
}

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
