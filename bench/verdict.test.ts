import { describe, expect, it } from 'vitest';
import type { Json, RunnerTraits } from '../src/contract.ts';
import { withSummary, type BenchResults } from './results.ts';
import { sampleResults } from './test-fixtures.ts';
import { formatVerdict, verdictOf, verdictTable } from './verdict.ts';
import { formatTable } from '../src/cli/format-table.ts';

const inMemory: RunnerTraits = { durable: false, delivery: 'at-most-once', result: true, retries: false, isolation: 'none', scope: 'process', options: [] };
const stored: RunnerTraits = { durable: true, delivery: 'at-least-once', result: true, retries: true, isolation: 'none', scope: 'cluster', options: [] };
const traits: Record<string, RunnerTraits> = { task: inMemory, 'bullmq-redis': stored };
const inputs = { traits: (id: string) => traits[id], isRunner: (id: string) => id in traits };

const m = (scenario: string, subject: string, kase: string, metric: string, samples: number[], notes: Json) =>
  withSummary({ scenario, subject, case: kase, metric, unit: scenario === 'throughput' ? 'jobs/s' : 'ms', better: scenario === 'throughput' ? 'higher' : 'lower', samples, notes });

function results(): BenchResults {
  const latency = (subject: string, rate: number, achieved: number, p99: number) => m('latency', subject, `noop rate=${rate}/s`, 'p99 submit→done', [p99], { offered: rate, achievedPerSecond: achieved, unfinished: 0 });
  return {
    ...sampleResults(),
    subjects: ['task', 'bullmq-redis', 'promise-raw'],
    measurements: [
      m('throughput', 'task', 'noop c=50', 'jobs/s', [60_000, 61_000, 59_000], { concurrency: 50 }),
      m('throughput', 'bullmq-redis', 'noop c=50', 'jobs/s', [8000, 8100, 7900], { concurrency: 50 }),
      m('throughput', 'promise-raw', 'noop c=50', 'jobs/s', [9e6, 9e6, 9e6], { concurrency: 50 }),
      latency('task', 200, 200, 1.1),
      latency('task', 1000, 999, 1.2),
      latency('task', 4000, 3990, 2.5),
      latency('bullmq-redis', 200, 200, 3.6),
      latency('bullmq-redis', 1000, 990, 7),
      latency('bullmq-redis', 4000, 2000, 900),
      m('event-loop', 'task', 'cpu 5ms', 'lag p99', [330, 340], { jobs: 60 }),
      m('event-loop', 'bullmq-redis', 'cpu 5ms', 'lag p99', [290, 300], { jobs: 60 }),
      m('memory', 'task', '5000 pending', 'heap growth', [17.5], { jobs: 5000, accepted: 5000, note: 'jobs wait in this process' }),
      m('memory', 'bullmq-redis', '5000 pending', 'heap growth', [0.5], { jobs: 5000, accepted: 5000, note: "jobs wait in redis: that server's memory is not counted" }),
      m('memory', 'bullmq-redis', '5000 pending', 'store growth', [4], { jobs: 5000, accepted: 5000, note: "jobs wait in redis: that server's memory is not counted" }),
    ],
  };
}

describe('the verdict: one row per runner', () => {
  it('has a row for each runner and none for raw baselines', () => {
    expect(verdictOf(results(), inputs).rows.map((r) => r.runner)).toEqual(['task', 'bullmq-redis']);
  });

  it('takes every p99 at the highest rate every runner kept up with, and says how far each kept up', () => {
    const v = verdictOf(results(), inputs);
    expect(v.commonRate).toBe(1000);
    expect(v.rows.map((r) => [r.p99Ms, r.keptUpWith])).toEqual([
      [1.2, 4000],
      [7, 1000],
    ]);
  });

  it('marks a runner saturated when it fell behind even at the common rate', () => {
    const r = results();
    const behindAtEveryRate = { offered: 200, achievedPerSecond: 50, unfinished: 5 };
    const fixed = { ...r, measurements: r.measurements.map((x) => (x.subject === 'bullmq-redis' && x.scenario === 'latency' ? { ...x, case: 'noop rate=200/s', notes: behindAtEveryRate } : x)) };
    const v = verdictOf(fixed, inputs);
    expect(v.commonRate).toBe(200);
    expect(v.rows.find((row) => row.runner === 'bullmq-redis')?.p99Ms).toBe('saturated');
  });

  it('gives memory per pending job, names the store that holds the rest, and says when submit held the producer', () => {
    const v = verdictOf(results(), inputs);
    expect(v.rows[0]?.memory).toEqual({ kind: 'per-job', kbPerJob: (17.5 * 1024) / 5000 });
    expect(v.rows[1]?.memory).toMatchObject({ kind: 'per-job', store: 'redis', storeKbPerJob: (4 * 1024) / 5000 });
    expect(verdictTable(v)[2]?.[5]).toBe('0.10 KB + 0.82 KB in redis');
    const r = results();
    const held = { ...r, measurements: r.measurements.map((x) => (x.scenario === 'memory' && x.subject === 'task' ? { ...x, notes: { jobs: 5000, accepted: 65 } } : x)) };
    expect(verdictOf(held, inputs).rows[0]?.memory).toEqual({ kind: 'held', acceptedBeforeWait: 65 });
  });

  it('writes the guarantees from the declared traits', () => {
    const [task, redis] = verdictOf(results(), inputs).rows;
    expect(task?.guarantees).toBe('memory · at-most-once · crash: process');
    expect(redis?.guarantees).toBe('stored · at-least-once · retries · crash: process · any machine');
  });

  it('shows the failure lab column only when the lab has cells, and says so until then', () => {
    const without = verdictOf(results(), inputs);
    expect(verdictTable(without)[0]).not.toContain('loses');
    expect(formatVerdict(without, formatTable)).toMatch(/failure lab's to measure \(not in this run: `need-a-queue lab`\)/);
    const withLab = verdictOf(results(), { ...inputs, losses: (id) => (id === 'task' ? 'every pending job on SIGKILL' : 'none') });
    expect(verdictTable(withLab)[0]).toContain('loses');
    expect(verdictTable(withLab)[1]?.at(-1)).toBe('every pending job on SIGKILL');
  });

  it('says which columns come from a single run and the job counts behind them', () => {
    const text = formatVerdict(verdictOf(results(), inputs), formatTable);
    expect(text).toMatch(/single run .*: p99, heap per pending job;/);
    expect(text).toContain('while draining 60 cpu 5ms jobs');
    expect(text).toContain('(5.0k submitted)');
  });

  it('reads the answer out: which runners keep jobs, and which keeps the loop free', () => {
    const { readings } = verdictOf(results(), inputs);
    expect(readings[0]).toMatch(/needs bullmq-redis: task keep jobs in memory/);
    expect(readings[1]).toMatch(/bullmq-redis kept the event loop's p99 lag at 295 ms; task let it reach 335 ms/);
  });

  it('answers "will our API slow down?" from the web-server figures, when the run has them', () => {
    expect(verdictOf(results(), inputs).readings.some((r) => r.startsWith('Will our API'))).toBe(false);
    const r = results();
    const ws = (subject: string, kase: string, p99: number) => m('web-server', subject, kase, 'request p99', [p99], { jobs: subject === 'idle' ? 0 : 50 });
    const withServer = { ...r, measurements: [...r.measurements, ws('idle', 'no jobs', 2), ws('task', 'cpu 5ms', 252), ws('bullmq-redis', 'cpu 5ms', 270), ws('task', 'sleep 5ms', 4)] };
    expect(verdictOf(withServer, inputs).readings.at(-1)).toBe('Will our API slow down? A web server in the same process answered at p99 in 2.00 ms with no jobs; while batches of 50 cpu 5ms jobs ran, in 270 ms on bullmq-redis and 252 ms on task.');
  });

  it('marks a figure whose repeats disagree with *, as the tables do', () => {
    const r = results();
    const noisy = { ...r, measurements: r.measurements.map((x) => (x.scenario === 'event-loop' && x.subject === 'task' ? withSummary({ ...x, samples: [100, 400] }) : x)) };
    const [, task, redis] = verdictTable(verdictOf(noisy, inputs));
    expect(task?.[4]).toBe('250 ms *');
    expect(redis?.[4]).toBe('295 ms');
  });
});
