// The cells the lessons claim, each from a real run of the lab: real child processes killed
// with real signals, the kit's own Redis and PostgreSQL servers killed and restarted, counted
// from the ledger. And the lab itself: it catches a runner that drops jobs quietly, and a fault
// that cannot apply to a runner is a clear "does not apply" cell, not a crash.

import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { testDatabaseUrl, testRedisUrl } from '../../src/testing/services.ts';
import { describeRunner } from '../../src/runners/registry.ts';
import { describeEnvironment, withSummary, type BenchResults, type Skipped } from '../results.ts';
import { liveLabChildren } from './child-control.ts';
import { runLab } from './lab.ts';
import { labMatrix, type LabCell, type LabMatrix } from './matrix.ts';
import { labSubject, subjectFrom, type LabSubject } from './subjects.ts';

async function lab(subjects: readonly LabSubject[], faults: readonly string[]): Promise<LabMatrix> {
  const skipped: Skipped[] = [];
  const measurements = await runLab({
    subjects,
    faults,
    profile: 'full',
    services: { redisUrl: () => Promise.resolve(testRedisUrl()), databaseUrl: () => Promise.resolve(testDatabaseUrl()) },
    signal: new AbortController().signal,
    progress: () => undefined,
    skip: (subject, reason, fix, fault) => void skipped.push({ scenario: 'lab', subject, case: fault, reason, fix }),
  });
  // Every process the lab started is gone once it returns.
  expect(liveLabChildren()).toBe(0);
  const results: BenchResults = {
    schemaVersion: 1,
    environment: describeEnvironment('full', {}),
    startedAt: '', finishedAt: '', durationMs: 0, complete: true,
    scenarios: ['lab'],
    subjects: subjects.map((s) => s.id),
    measurements: measurements.map(withSummary),
    skipped,
  };
  return labMatrix(results);
}

function cell(matrix: LabMatrix, runner: string, fault: string): LabCell & { v: (metric: string) => number | undefined } {
  const found = matrix.cells.find((c) => c.runner === runner && c.fault === fault);
  if (found === undefined) throw new Error(`no cell ${fault} × ${runner} in ${matrix.cells.map((c) => `${c.fault} × ${c.runner}`).join(', ')}`);
  return { ...found, v: (metric) => found.values.get(metric) };
}

describe('the failure lab', () => {
  it('fire-and-forget loses every in-flight job on SIGKILL, and nothing recovers them', async () => {
    const m = await lab([labSubject('fire-and-forget')], ['sigkill']);
    const c = cell(m, 'fire-and-forget', 'sigkill');
    expect(c.v('in flight at kill')).toBeGreaterThan(0);
    expect(c.v('lost')).toBe(c.v('unfinished at kill'));
    expect(c.v('lost')).toBeGreaterThanOrEqual(c.v('in flight at kill')!);
    expect(c.v('recovered')).toBe(0);
    expect(c.verdict).toBe('agrees');
  }, 60_000);

  it('a crash ends a plain Node process (fire-and-forget, task, genserver); the worker-pool process survives it', async () => {
    const m = await lab(['fire-and-forget', 'task', 'genserver', 'worker-pool'].map(labSubject), ['crash']);
    for (const runner of ['fire-and-forget', 'task', 'genserver']) {
      const c = cell(m, runner, 'crash');
      expect(c.v('process deaths'), runner).toBe(1);
      expect(c.v('lost'), runner).toBeGreaterThan(0);
      expect(c.v('done once'), runner).toBe(0);
    }
    // The process outlives the crash. (What becomes of the jobs that shared the crashed thread is
    // the matrix's to show: its cell is checked against the traits like any other.)
    const pool = cell(m, 'worker-pool', 'crash');
    expect(pool.v('process deaths')).toBe(0);
    expect(pool.v('submitted')).toBe(20);
  }, 120_000);

  it('bullmq-redis with appendfsync always loses no accepted job across a Redis SIGKILL + restart, and recovers a SIGKILLed process\'s jobs', async () => {
    const m = await lab([labSubject('bullmq-redis')], ['redis-always', 'sigkill']);
    const restart = cell(m, 'bullmq-redis', 'redis-always');
    expect(restart.v('submitted')).toBe(500);
    expect(restart.v('lost')).toBe(0);
    expect(restart.v('done once')).toBe(500);
    const kill = cell(m, 'bullmq-redis', 'sigkill');
    expect(kill.v('unfinished at kill')).toBeGreaterThan(0);
    expect(kill.v('lost')).toBe(0);
    expect(kill.v('recovered')).toBeGreaterThanOrEqual(kill.v('unfinished at kill')!);
    expect(m.flags).toEqual([]);
  }, 120_000);

  it('bullmq-postgres loses no accepted job across an immediate PostgreSQL stop and restart', async () => {
    const m = await lab([labSubject('bullmq-postgres')], ['postgres-immediate']);
    const c = cell(m, 'bullmq-postgres', 'postgres-immediate');
    expect(c.v('submitted')).toBe(100);
    expect(c.v('lost')).toBe(0);
    expect(c.v('done once')! + c.v('done more than once')!).toBe(100);
  }, 180_000);

  it('catches a runner that drops every tenth job: lost counted, the cell flagged against its traits', async () => {
    const d = describeRunner('task');
    const broken = subjectFrom({ ...d, id: 'drops-every-tenth' }, fileURLToPath(new URL('./fixtures/drops-every-tenth.ts', import.meta.url)));
    const m = await lab([broken, labSubject('task')], ['none']);
    const c = cell(m, 'drops-every-tenth', 'none');
    expect(c.v('lost')).toBe(5);
    expect(c.v('done once')).toBe(45);
    expect(c.verdict).toBe('DISAGREES');
    expect(m.flags).toHaveLength(1);
    expect(m.flags[0]).toMatch(/^none × drops-every-tenth: measured 5 lost of 50/);
    // The real one, measured beside it, agrees.
    expect(cell(m, 'task', 'none').verdict).toBe('agrees');
  }, 60_000);

  it('a fault that does not apply to a runner is a "does not apply, because" cell, and runs nothing', async () => {
    const m = await lab([labSubject('task'), labSubject('bullmq-postgres')], ['redis-always']);
    for (const runner of ['task', 'bullmq-postgres']) {
      const c = cell(m, runner, 'redis-always');
      expect(c.verdict).toBe('n/a');
      expect(c.expected).toMatch(/^does not apply: .* not in Redis$/);
    }
  }, 30_000);
});
