import { describe, expect, it } from 'vitest';
import type { Json } from '../src/contract.ts';
import { comparisonCell, formatNumber, scenarioTable } from './print.ts';
import { withSummary, type BenchResults, type SummarizedMeasurement } from './results.ts';
import { UNBOUNDED_NOTE } from './subjects.ts';
import { sampleResults } from './test-fixtures.ts';

const tp = (subject: string, kase: string, jobsPerSecond: number, notes: Json = { concurrency: 50 }) =>
  withSummary({ scenario: 'throughput', subject, case: kase, metric: 'jobs/s', unit: 'jobs/s', better: 'higher', samples: [jobsPerSecond], notes });

function run(measurements: SummarizedMeasurement[], subjects = [...new Set(measurements.map((m) => m.subject))]): BenchResults {
  return { ...sampleResults(), subjects, measurements };
}

describe('the comparison column says which way is better', () => {
  it('writes each runner’s ratio to its peer with the direction, the noop included', () => {
    const noop = tp('task', 'noop c=50', 25_000);
    const slower = tp('genserver', 'sleep 5ms c=50', 8000);
    const same = tp('stage', 'sleep 5ms c=50', 10_001);
    const results = run([noop, slower, same, tp('p-queue', 'noop c=50', 100_000), tp('p-queue', 'sleep 5ms c=50', 10_000), tp('promise-raw', 'sleep 5ms c=50', 12_000)]);
    expect(comparisonCell(noop, results)).toBe('0.25× p-queue, higher is better: 75% slower');
    expect(comparisonCell(slower, results)).toBe('0.80× p-queue, higher is better: 20% slower');
    expect(comparisonCell(same, results)).toBe('1.00× p-queue, higher is better: the same');
  });

  it('compares worker-pool with piscina, and each peer with the floor under it', () => {
    const pool = tp('worker-pool', 'cpu 2ms c=50', 900);
    const pQueue = tp('p-queue', 'noop c=50', 80_000);
    const bare = tp('p-queue-bare', 'noop c=50', 100_000);
    const results = run([pool, tp('piscina', 'cpu 2ms c=50', 1000), pQueue, bare, tp('promise-raw', 'noop c=50', 2_000_000)]);
    expect(comparisonCell(pool, results)).toBe('0.90× piscina, higher is better: 10% slower');
    expect(comparisonCell(pQueue, results)).toBe('0.80× p-queue-bare, higher is better: 20% slower');
    expect(comparisonCell(bare, results)).toBe('0.05× promise-raw, higher is better: 95% slower');
    // The floor and a library used directly are what others are divided by: no ratio of their own.
    expect(comparisonCell(tp('promise-raw', 'noop c=50', 2_000_000), results)).toBe('');
    expect(comparisonCell(tp('piscina', 'cpu 2ms c=50', 1000), results)).toBe('');
  });

  it('gives the reason when the kit beats the library it wraps', () => {
    const pg = tp('bullmq-postgres', 'noop c=50', 1200);
    const results = run([pg, tp('bullmq-raw-postgres', 'noop c=50', 600)]);
    expect(comparisonCell(pg, results)).toBe("2.00× bullmq-raw-postgres, higher is better: 100% faster (the kit stores a tick's submits in one transaction)");
  });

  it('does not compare a runner with no concurrency limit with a peer that has one', () => {
    const unbounded = tp('fire-and-forget', 'sleep 5ms no limit', 50_000, { note: UNBOUNDED_NOTE });
    expect(comparisonCell(unbounded, run([unbounded, tp('p-queue', 'sleep 5ms c=50', 10_000)]))).toBe("none: it has no concurrency limit, p-queue has the others' limit");
  });

  it('names the peer to add when the run left it out', () => {
    const redis = tp('bullmq-redis', 'noop c=50', 8000);
    expect(comparisonCell(redis, run([redis]))).toBe('(add bullmq-raw-redis to --runners for a ratio)');
    expect(comparisonCell(redis, run([redis], ['bullmq-redis', 'bullmq-raw-redis']))).toBe('(bullmq-raw-redis not measured: see its skip row)');
    const task = tp('task', 'noop c=50', 25_000);
    expect(comparisonCell(task, run([task, tp('promise-raw', 'noop c=50', 2_000_000)]))).toBe('(add p-queue to --runners for a ratio)');
  });

  it('says so when the peer was measured on other jobs only', () => {
    const sleep = tp('p-queue', 'sleep 5ms c=50', 8000);
    expect(comparisonCell(sleep, run([sleep, tp('p-queue-bare', 'noop c=50', 100_000)]))).toBe('(p-queue-bare has no sleep 5ms c=50 figure)');
  });

  it('writes micro ratios as time, so above 1× reads as slower', () => {
    const micro = (kase: string, us: number, notes: Json) => withSummary({ scenario: 'micro', subject: 'otp-task', case: kase, metric: 'µs/op', unit: 'µs', better: 'lower', samples: [us], notes });
    const kit = micro('Task.start + await', 0.6, { baselineOf: 'bare promise', ratioToRaw: 7.5 });
    expect(comparisonCell(kit, run([micro('bare promise', 0.08, {}), kit]))).toBe("+0.52 µs/op, 7.50× the raw op's time (slower)");
  });
});

describe('the memory table', () => {
  it('sets heap per pending job beside p-queue’s, lower is better, and leaves a runner that held its producer back without one', () => {
    const mem = (subject: string, mb: number, accepted = 5000) =>
      withSummary({ scenario: 'memory', subject, case: '5000 pending', metric: 'heap growth', unit: 'MB', better: 'lower', samples: [mb], notes: { jobs: 5000, accepted } });
    const { rows } = scenarioTable(run([mem('task', 16), mem('stage', 0.2, 51), mem('p-queue', 4)]), 'memory');
    const column = rows[0]!.indexOf('vs peer, same run');
    expect(rows.map((r) => [r[0], r[column]])).toEqual([
      ['subject', 'vs peer, same run'],
      ['task', '4.00× p-queue, lower is better: 300% more (heap per pending job)'],
      ['stage', ''],
      ['p-queue', ''],
    ]);
  });
});

describe('every figure carries its context in its row', () => {
  const fig = (scenario: string, subject: string, kase: string, metric: string, samples: number[], notes: Json) => withSummary({ scenario, subject, case: kase, metric, unit: 'ms', better: 'lower', samples, notes });
  const column = (rows: readonly (readonly string[])[], name: string, subject: string) => {
    const c = rows[0]?.indexOf(name) ?? -1;
    expect(c, `column ${name}`).toBeGreaterThan(-1);
    return rows.find((r) => r[0] === subject)?.[c];
  };
  const table = (measurements: SummarizedMeasurement[], scenario: string) => scenarioTable({ ...run(measurements), scenarios: [scenario] }, scenario).rows;

  it('gives the job count an event-loop lag grew from', () => {
    const rows = table([fig('event-loop', 'idle', 'nothing running', 'lag p99', [0.1], { jobs: 0 }), fig('event-loop', 'genserver', 'cpu 5ms', 'lag p99', [2007], { jobs: 400 })], 'event-loop');
    expect(column(rows, 'jobs drained', 'genserver')).toBe('400');
    expect(column(rows, 'jobs drained', 'idle')).toBe('none');
  });

  it('says when submit held the producer, and that a store’s memory is not counted', () => {
    const rows = table(
      [
        fig('memory', 'stage', '5000 pending', 'RSS growth', [0], { jobs: 5000, accepted: 65, note: 'backpressure: submit waited after 65 jobs' }),
        fig('memory', 'task', '5000 pending', 'RSS growth', [17], { jobs: 5000, accepted: 5000, note: 'jobs wait in this process' }),
        fig('memory', 'bullmq-redis', '5000 pending', 'RSS growth', [0.5], { jobs: 5000, accepted: 5000, note: "jobs wait in redis: that server's memory is not counted" }),
      ],
      'memory',
    );
    expect(column(rows, 'accepted', 'stage')).toBe('65, then submit waited');
    expect(column(rows, 'accepted', 'task')).toBe('5,000');
    expect(column(rows, 'counted', 'bullmq-redis')).toBe('this process, not redis');
    const withStore = table([fig('memory', 'bullmq-redis', '5000 pending', 'RSS growth', [0.5], { jobs: 5000, accepted: 5000, note: 'jobs wait in redis: …' }), fig('memory', 'bullmq-redis', '5000 pending', 'store growth', [4], { jobs: 5000, accepted: 5000, note: 'jobs wait in redis: …' })], 'memory');
    expect(column(withStore, 'counted', 'bullmq-redis')).toBe('this process; redis in store growth');
    expect(column(withStore, 'store growth', 'bullmq-redis')).toMatch(/^4\.00 /);
    expect(column(rows, 'counted', 'task')).toBe('this process (holds the jobs)');
  });

  it('marks a latency row where the runner fell behind the offered rate', () => {
    const rows = table(
      [
        fig('latency', 'task', 'noop rate=1000/s', 'p99 submit→done', [1.2], { offered: 1000, achievedPerSecond: 999, unfinished: 0 }),
        fig('latency', 'bullmq-postgres', 'noop rate=1000/s', 'p99 submit→done', [2259], { offered: 1000, achievedPerSecond: 549, unfinished: 12 }),
      ],
      'latency',
    );
    expect(column(rows, 'done/s', 'task')).toBe('999');
    expect(column(rows, 'done/s', 'bullmq-postgres')).toBe('549 SATURATED (12 unfinished)');
  });

  it('sets a web-server row beside the idle server, with the requests and jobs behind it and where the jobs ran', () => {
    const ws = (subject: string, kase: string, p99: number, notes: Json) => fig('web-server', subject, kase, 'request p99', [p99], notes);
    const rows = table(
      [
        ws('idle', 'no jobs', 2, { ratePerSecond: 500, requests: 150, unanswered: 0, windowMs: 300, jobsDone: 0, jobs: 0 }),
        ws('task', 'cpu 5ms', 252, { ratePerSecond: 500, requests: 263, unanswered: 0, windowMs: 526, jobsDone: 100, jobs: 50, jobsRunOn: "the server's event loop" }),
        ws('worker-pool', 'cpu 5ms', 31, { ratePerSecond: 500, requests: 198, unanswered: 2, windowMs: 397, jobsDone: 100, jobs: 50, jobsRunOn: 'worker threads' }),
      ],
      'web-server',
    );
    expect(rows[0]).toEqual(['subject', 'case', 'p99', 'p99 over idle', 'requests', 'jobs done', 'jobs run on', 'n']);
    expect(column(rows, 'p99 over idle', 'task')).toBe('+250 ms');
    expect(column(rows, 'jobs done', 'task')).toBe('100 in 526 ms, batches of 50');
    expect(column(rows, 'jobs run on', 'worker-pool')).toBe('worker threads');
    expect(column(rows, 'requests', 'worker-pool')).toBe('198 at 500/s, 2 unanswered');
    expect(column(rows, 'jobs done', 'idle')).toBe('none');
  });
});

describe('numbers', () => {
  it('keep the digits of the range they round into: a ratio just under 1 reads 1.00 beside 1.01, not 1.0', () => {
    expect([0.996, 1.01, 0.5, 9.996, 12.34, 99.96, 123.4, 999.6, 12_345.6].map(formatNumber)).toEqual(['1.00', '1.01', '0.50', '10.0', '12.3', '100', '123', '1,000', '12,346']);
  });
});
