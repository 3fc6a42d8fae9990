// How the throughput scenario spends its samples: rounds over every figure, extra rounds only
// for figures whose samples disagree, and a runner beside its raw baseline with the order
// swapped each round. The baselines here are the harness's own test subjects: their drain()
// reports a chosen duration, so which figure gets how many samples is decided, not by luck.

import { describe, expect, it } from 'vitest';
import { scenarioContext } from '../test-fixtures.ts';
import type { Measurement, ThroughputBaseline } from '../types.ts';
import { throughput, throughputPlan } from './throughput.ts';

/** A baseline whose drains "last" the given milliseconds in turn (no work is done). */
function scripted(id: string, durationsMs: readonly number[], pairedWith?: string): ThroughputBaseline {
  let call = 0;
  return { id, ...(pairedWith === undefined ? {} : { pairedWith }), drain: () => Promise.resolve(durationsMs[call++ % durationsMs.length]!) };
}

async function run(subjects: readonly string[], baselines: readonly ThroughputBaseline[]): Promise<{ measurements: Measurement[]; steps: string[]; skipped: string[] }> {
  const steps: string[] = [];
  const { context, skipped } = scenarioContext({
    subjects,
    baselines,
    // The round's total (`round 1 of 3`) is for the reader; these tests follow the order of samples.
    progress: (message) => void steps.push(message.replace(/^throughput round (\d+) of \d+:/, 'throughput round $1:')),
  });
  return { measurements: await throughput.run(context), steps, skipped };
}

describe('throughput sampling', () => {
  it('gives agreeing figures the minimum rounds and spread ones more, up to the most', async () => {
    const plan = throughputPlan('quick');
    // 250 ms every drain: samples agree. 250 and 400 ms in turn: a 60% spread that never settles.
    const { measurements } = await run(['steady', 'jumpy'], [scripted('steady', [250]), scripted('jumpy', [250, 400])]);
    const counts = measurements.map((m) => [m.subject, m.samples.length]);
    expect(counts).toEqual([
      ...plan.cases.map(() => ['steady', plan.minRepeats]),
      ...plan.cases.map(() => ['jumpy', plan.maxRepeats]),
    ]);
  });

  it('takes one sample of every figure per round before any figure gets its next, one case at a time', async () => {
    const { steps } = await run(['a', 'b'], [scripted('a', [250]), scripted('b', [250])]);
    const sampled = steps.filter((s) => s.startsWith('throughput round'));
    const firstOfRound2 = sampled.findIndex((s) => s.startsWith('throughput round 2:'));
    expect(sampled.slice(0, firstOfRound2)).toEqual(['noop', 'sleep 5ms', 'cpu 2ms'].flatMap((label) => ['a', 'b'].map((id) => `throughput round 1: ${id} ${label}`)));
  });

  it('samples a peer right after the runners compared with it, and runs every other round backwards', async () => {
    // Scripted stand-ins under the real ids, so bench/peers.ts places them: p-queue is task's and genserver's peer.
    const ids = ['p-queue', 'task', 'other', 'genserver'];
    const { steps, measurements } = await run(ids, ids.map((id) => scripted(id, [250])));
    const sampled = (round: number) => steps.filter((s) => s.startsWith(`throughput round ${round}:`) && s.endsWith(' noop')).map((s) => s.split(' ')[3]);
    expect(sampled(1)).toEqual(['task', 'other', 'genserver', 'p-queue']);
    expect(sampled(2)).toEqual(['p-queue', 'genserver', 'other', 'task']);
    expect([...new Set(measurements.map((m) => m.subject))]).toEqual(['task', 'other', 'genserver', 'p-queue']);
  });

  it('measures a runner beside its raw baseline: same N, and who goes first swaps every round', async () => {
    const { measurements, steps } = await run(['task', 'task-raw'], [scripted('task-raw', [250], 'task')]);
    const noop = steps.filter((s) => /^throughput round [12]: .* noop$/.test(s));
    expect(noop).toEqual(['throughput round 1: task noop', 'throughput round 1: task-raw noop', 'throughput round 2: task-raw noop', 'throughput round 2: task noop']);
    const jobs = (subject: string) => measurements.filter((m) => m.subject === subject).map((m) => (m.notes as { jobs: number }).jobs);
    expect(jobs('task-raw')).toEqual(jobs('task'));
    // A power of two: a warm-up a few percent off drains the same N.
    expect(jobs('task').every((n) => Number.isInteger(Math.log2(n)))).toBe(true);
  });

  it('measures a floor kept for one ratio on its jobs only', async () => {
    const floor: ThroughputBaseline = { ...scripted('floor', [250]), onlyJobs: ['noop'] };
    const { measurements } = await run(['steady', 'floor'], [scripted('steady', [250]), floor]);
    expect(measurements.filter((m) => m.subject === 'floor').map((m) => m.case)).toEqual(['noop c=50']);
    expect(measurements.filter((m) => m.subject === 'steady')).toHaveLength(3);
  });

  it('drops a subject whose drain throws, closes it at once and names it, and measures the rest', async () => {
    let closed = 0;
    let calls = 0;
    // Two warm-up drains and a sample per case in round 1, then it breaks in round 2.
    const breaks: ThroughputBaseline = {
      id: 'breaks',
      drain: () => (++calls > 9 ? Promise.reject(new Error('store went away')) : Promise.resolve(250)),
      close: () => Promise.resolve(void closed++),
    };
    const { measurements, skipped } = await run(['breaks', 'steady'], [breaks, scripted('steady', [250])]);
    expect(skipped).toEqual(['breaks: failed: store went away']);
    expect(closed).toBe(1);
    expect(measurements.filter((m) => m.subject === 'breaks').map((m) => m.samples.length)).toEqual([1, 1, 1]);
    expect(measurements.filter((m) => m.subject === 'steady').map((m) => m.samples.length)).toEqual([3, 3, 3]);
  });

  it("blames the raw baseline, not its runner, when the baseline's drain throws, and keeps the pair even", async () => {
    let calls = 0;
    const raw: ThroughputBaseline = { id: 'task-raw', pairedWith: 'task', drain: () => (++calls > 2 ? Promise.reject(new Error('raw broke')) : Promise.resolve(250)) };
    const { measurements, skipped } = await run(['task', 'task-raw'], [raw]);
    expect(skipped).toEqual(['task-raw: failed: raw broke']);
    // Two warm-up drains, then raw's first sample throws: the kit's sample beside it is not kept.
    expect(measurements.filter((m) => m.case === 'noop c=50')).toEqual([]);
  });
});
