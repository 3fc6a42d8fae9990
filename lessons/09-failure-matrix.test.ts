// Lesson 09's sentences, held to the reference run the page shows. The page reads its figures
// from the newest checked-in reference that has the failure lab; each `it` below is one claim the
// page makes about those cells, so a new reference run that contradicts the prose fails here
// instead of shipping a page that says one thing over a table that says another. The cells
// themselves are measured live, with real signals and servers, in bench/lab/lab.test.ts.

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { labMatrix, type LabMatrix } from '../bench/lab/matrix.ts';
import { readResults, RESULTS_DIR } from '../bench/results.ts';
import { describeRunner, runnerIds } from '../src/runners/registry.ts';

function referenceLab(): LabMatrix {
  const files = readdirSync(RESULTS_DIR).filter((name) => /^reference-.*\.json$/.test(name)).sort().reverse();
  for (const name of files) {
    const matrix = labMatrix(readResults(path.join(RESULTS_DIR, name)));
    if (matrix.cells.length > 0) return matrix;
  }
  throw new Error('no checked-in reference run has the failure lab: run `need-a-queue lab --profile full --out bench/results/reference-<date>-lab.json`');
}

const matrix = referenceLab();
const page = readFileSync(new URL('./09-failure-matrix.md', import.meta.url), 'utf8');

function value(runner: string, fault: string, metric: string): number {
  const cell = matrix.cells.find((c) => c.runner === runner && c.fault === fault);
  const v = cell?.values.get(metric);
  if (v === undefined) throw new Error(`the reference lab has no ${metric} for ${fault} × ${runner}`);
  return v;
}

const inMemory = runnerIds.filter((id) => !describeRunner(id).traits.durable);
const durable = runnerIds.filter((id) => describeRunner(id).traits.durable);
const agrees = (runner: string, fault: string) => matrix.cells.find((c) => c.runner === runner && c.fault === fault)?.verdict === 'agrees';

describe('lesson 09: what each approach loses', () => {
  it('the reference lab has a cell for every runner and every fault the page reads', () => {
    for (const fault of ['throw', 'crash', 'hang', 'hang-timeout', 'sigkill', 'sigterm', 'overload', 'redis-no-aof', 'redis-everysec', 'redis-always', 'postgres-immediate']) {
      expect(matrix.faults, fault).toContain(fault);
    }
    expect([...matrix.runners].sort()).toEqual([...runnerIds].sort());
  });

  it('a job that throws: no runner loses a job', () => {
    for (const runner of runnerIds) expect(value(runner, 'throw', 'lost'), runner).toBe(0);
  });

  it('a crash ends an in-process runner\'s process with every job in it; the worker pool\'s process survives; BullMQ keeps the jobs', () => {
    for (const runner of ['fire-and-forget', 'task', 'genserver', 'stage']) {
      expect(value(runner, 'crash', 'process deaths'), runner).toBe(1);
      expect(value(runner, 'crash', 'lost'), runner).toBe(value(runner, 'crash', 'submitted'));
    }
    expect(value('worker-pool', 'crash', 'process deaths')).toBe(0);
    for (const runner of durable) {
      expect(value(runner, 'crash', 'process deaths'), runner).toBeGreaterThanOrEqual(1);
      expect(value(runner, 'crash', 'lost'), runner).toBe(0);
      expect(value(runner, 'crash', 'failed'), runner).toBeGreaterThan(0);
    }
  });

  it('a hung job without a timeout never finishes; with timeoutMs the attempt fails and nothing is lost (where the cell agrees)', () => {
    for (const runner of inMemory) expect(value(runner, 'hang', 'lost'), runner).toBeGreaterThan(0);
    const timed = runnerIds.filter((id) => describeRunner(id).traits.options.includes('timeoutMs'));
    expect(timed.length).toBeGreaterThan(0);
    for (const runner of timed) {
      // A cell that disagrees is the page's "what the flags say": measured, shown, not claimed.
      if (!agrees(runner, 'hang-timeout')) continue;
      expect(value(runner, 'hang-timeout', 'failed'), runner).toBe(1);
      expect(value(runner, 'hang-timeout', 'lost'), runner).toBe(0);
    }
    expect(timed.filter((r) => agrees(r, 'hang-timeout')).length).toBeGreaterThan(0);
  });

  it('SIGKILL: every in-memory runner loses what had not finished and recovers nothing; BullMQ loses nothing and recovers it', () => {
    for (const runner of inMemory) {
      expect(value(runner, 'sigkill', 'lost'), runner).toBeGreaterThan(0);
      expect(value(runner, 'sigkill', 'recovered'), runner).toBe(0);
    }
    for (const runner of durable) {
      expect(value(runner, 'sigkill', 'lost'), runner).toBe(0);
      expect(value(runner, 'sigkill', 'recovered'), runner).toBeGreaterThanOrEqual(value(runner, 'sigkill', 'unfinished at kill'));
    }
  });

  it('at-least-once shows up as jobs done twice after a kill or a store crash', () => {
    const twice = durable.flatMap((runner) => ['sigkill', 'postgres-immediate'].map((fault) => matrix.cells.find((c) => c.runner === runner && c.fault === fault)?.values.get('done more than once') ?? 0));
    expect(twice.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  });

  it('SIGTERM: an in-memory runner loses the jobs that had not started; BullMQ leaves them stored', () => {
    for (const runner of inMemory.filter((r) => r !== 'fire-and-forget')) expect(value(runner, 'sigterm', 'lost'), runner).toBeGreaterThan(0);
    for (const runner of durable) {
      expect(value(runner, 'sigterm', 'lost'), runner).toBe(0);
      expect(value(runner, 'sigterm', 'still stored'), runner).toBeGreaterThan(0);
    }
  });

  it('overload: fire-and-forget takes everything, bounded lines refuse, stage makes the producer wait, BullMQ stores the backlog', () => {
    expect(value('fire-and-forget', 'overload', 'rejected at submit')).toBe(0);
    for (const runner of ['task', 'genserver', 'worker-pool']) expect(value(runner, 'overload', 'rejected at submit'), runner).toBeGreaterThan(0);
    expect(value('stage', 'overload', 'rejected at submit')).toBe(0);
    expect(value('stage', 'overload', 'behind schedule')).toBeGreaterThan(0);
    for (const runner of durable) {
      expect(value(runner, 'overload', 'still stored'), runner).toBeGreaterThan(0);
      expect(value(runner, 'overload', 'lost'), runner).toBe(0);
    }
  });

  it('Redis: without an append-only file a kill loses every accepted job; with one, none; fsync on every write costs submit rate', () => {
    expect(value('bullmq-redis', 'redis-no-aof', 'lost')).toBe(value('bullmq-redis', 'redis-no-aof', 'submitted'));
    expect(value('bullmq-redis', 'redis-everysec', 'lost')).toBe(0);
    expect(value('bullmq-redis', 'redis-always', 'lost')).toBe(0);
    expect(value('bullmq-redis', 'redis-always', 'submits/s')).toBeLessThan(value('bullmq-redis', 'redis-everysec', 'submits/s'));
  });

  it('PostgreSQL stopped immediately: no acknowledged job lost', () => {
    expect(value('bullmq-postgres', 'postgres-immediate', 'lost')).toBe(0);
  });

  it('the page names only faults and runners the lab has', () => {
    const named = [...page.matchAll(/:fig\[lab \| ([^|\]]+?) \| ([^|\]]+?) \|/g)].map(([, runner, fault]) => [runner, fault] as const);
    expect(named.length).toBeGreaterThan(10);
    for (const [runner, fault] of named) {
      expect(matrix.runners, `${fault} × ${runner}`).toContain(runner);
      expect(matrix.faults, `${fault} × ${runner}`).toContain(fault);
    }
  });
});
