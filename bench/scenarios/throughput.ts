// `throughput`: jobs/s to drain N jobs at concurrency C, for noop, sleep {ms} and cpu {ms},
// for every runner and every raw baseline in the same run (so kit ÷ raw is a same-run ratio).
//
// How it works: one runner per subject, reused for every case; one unrecorded warm-up drain
// per case (JIT, connections, lazily created queues) that also sizes N, then `repeats` samples,
// each one or more drains timed from the first submit to the last `completed` event the runner
// reports. A runner and its raw baseline (bullmq-redis and bullmq-raw-redis) are measured in
// lockstep: same N, samples alternated, so their ratio is the kit's overhead and not the
// machine's mood between the two.

import type { Json } from '../../src/contract.ts';
import { drain } from '../drive.ts';
import { jsonNotes } from '../results.ts';
import { closeRunner, guarded, openRunner } from '../subjects.ts';
import type { BenchContext, Measurement, Profile, Scenario, ThroughputBaseline } from '../types.ts';

export interface ThroughputCase {
  readonly job: 'noop' | 'sleep' | 'cpu';
  readonly data: Json;
  readonly label: string;
  /** Jobs in the warm-up drain, which also estimates the rate. */
  readonly warmupJobs: number;
}

export const CONCURRENCY = 50;

/**
 * Each repeat drains enough jobs to take about `targetMs` at the rate the warm-up showed,
 * within [minJobs, maxJobs]: runners differ 1000-fold in speed, so a fixed N is either a
 * sub-millisecond blip for one or minutes for another.
 */
export function throughputPlan(profile: Profile): { repeats: number; targetMs: number; minJobs: number; maxJobs: number; cases: ThroughputCase[] } {
  const full = profile === 'full';
  return {
    repeats: full ? 5 : 3,
    targetMs: full ? 2000 : 250,
    minJobs: 50,
    maxJobs: full ? 500_000 : 50_000,
    cases: [
      { job: 'noop', data: null, label: 'noop', warmupJobs: 200 },
      { job: 'sleep', data: { ms: 5 }, label: 'sleep 5ms', warmupJobs: 200 },
      { job: 'cpu', data: { ms: 2 }, label: 'cpu 2ms', warmupJobs: 50 },
    ],
  };
}

/**
 * One sample: drains of `jobs` jobs, repeated until together they last at least `targetMs`,
 * as total jobs ÷ total time. The job cap keeps one drain's memory bounded, and a runner fast
 * enough to drain the cap in a few milliseconds (a bare promise does 50 000 noops in ~3 ms)
 * would otherwise be timed over one GC pause or scheduler blip.
 */
async function sample(targetMs: number, jobs: number, drainOnce: () => Promise<number>, signal: AbortSignal): Promise<number> {
  let total = 0;
  let elapsed = 0;
  do {
    elapsed += await drainOnce();
    total += jobs;
  } while (elapsed < targetMs && !signal.aborted);
  return (total / elapsed) * 1000;
}

function jobsFor(plan: ReturnType<typeof throughputPlan>, warmupJobs: number, warmupMs: number): number {
  const rate = warmupJobs / Math.max(warmupMs, 0.001);
  return Math.round(Math.min(plan.maxJobs, Math.max(plan.minJobs, rate * plan.targetMs)));
}

function measurement(subject: string, c: ThroughputCase, jobs: number, samples: number[], note?: string): Measurement {
  return {
    scenario: 'throughput',
    subject,
    case: `${c.label} c=${CONCURRENCY}`,
    metric: 'jobs/s',
    unit: 'jobs/s',
    better: 'higher',
    samples,
    notes: jsonNotes({ jobs, concurrency: CONCURRENCY, note }),
  };
}

type Drainer = (jobs: number) => Promise<number>;

/** A side of a case: who it is, how to drain `jobs` of this case, and the note to record. */
interface Side {
  readonly id: string;
  readonly note: string | undefined;
  readonly drainer: (c: ThroughputCase) => Drainer;
}

// Queue runners need a line deeper than their concurrency before the rate means anything:
// a drain of 50 jobs at concurrency 50 is all ramp-up and wind-down.
const MIN_QUEUE_JOBS = 10 * CONCURRENCY;

/**
 * Measures every case on one side, or on two sides in lockstep: the same N for both (the
 * larger of the two warm-ups' sizes) and their samples alternated, so kit ÷ raw is not
 * skewed by load that came and went between them.
 */
async function cases(sides: readonly Side[], context: BenchContext, out: Measurement[], minJobs: number): Promise<void> {
  const plan = throughputPlan(context.profile);
  for (const c of plan.cases) {
    if (context.signal.aborted) return;
    const drainers = sides.map((side) => side.drainer(c));
    let jobs = minJobs;
    for (const [i, side] of sides.entries()) {
      context.progress(`throughput ${side.id} ${c.label}: warm-up`);
      jobs = Math.max(jobs, jobsFor(plan, c.warmupJobs, await drainers[i]!(c.warmupJobs)));
    }
    const samples = sides.map((): number[] => []);
    for (let r = 0; r < plan.repeats && !context.signal.aborted; r++) {
      for (const [i, side] of sides.entries()) {
        if (context.signal.aborted) break;
        context.progress(`throughput ${side.id} ${c.label}: run ${r + 1}/${plan.repeats}`);
        samples[i]!.push(await sample(plan.targetMs, jobs, () => drainers[i]!(jobs), context.signal));
      }
    }
    for (const [i, side] of sides.entries()) if (samples[i]!.length > 0) out.push(measurement(side.id, c, jobs, samples[i]!, side.note));
  }
}

function baselineSide(baseline: ThroughputBaseline, context: BenchContext): Side {
  return {
    id: baseline.id,
    note: 'raw baseline',
    drainer: (c) => (jobs) => baseline.drain({ job: c.job, data: c.data, jobs, concurrency: CONCURRENCY, services: context.services }),
  };
}

/** A runner's cases, alongside its raw baseline's when that is measured too. */
async function runnerCases(id: string, context: BenchContext, out: Measurement[], paired: ThroughputBaseline | undefined): Promise<void> {
  const opened = await openRunner(id, context, { concurrency: CONCURRENCY });
  if ('skipped' in opened) {
    context.skip(id, opened.skipped.reason, opened.skipped.fix);
    if (paired !== undefined) await baselineCases(paired, context, out);
    return;
  }
  try {
    const runner = opened.runner;
    const kit: Side = { id, note: opened.note, drainer: (c) => async (jobs) => (await drain(runner, c.job, c.data, jobs)).elapsedMs };
    const isQueue = runner.traits.durable;
    await cases(paired === undefined ? [kit] : [kit, baselineSide(paired, context)], context, out, isQueue ? MIN_QUEUE_JOBS : throughputPlan(context.profile).minJobs);
  } finally {
    await closeRunner(opened.runner);
    await paired?.close?.();
  }
}

async function baselineCases(baseline: ThroughputBaseline, context: BenchContext, out: Measurement[]): Promise<void> {
  try {
    await cases([baselineSide(baseline, context)], context, out, baseline.pairedWith === undefined ? throughputPlan(context.profile).minJobs : MIN_QUEUE_JOBS);
  } finally {
    await baseline.close?.();
  }
}

export const throughput: Scenario = {
  name: 'throughput',
  summary: `jobs/s draining N noop, sleep 5ms and cpu 2ms jobs at concurrency ${CONCURRENCY}, runners and raw baselines`,
  async run(context) {
    const out: Measurement[] = [];
    const baselineById = new Map(context.baselines.map((b) => [b.id, b]));
    // A baseline whose runner is measured too runs with it (see cases()), not on its own.
    const pairOf = new Map(context.baselines.filter((b) => b.pairedWith !== undefined && context.subjects.includes(b.pairedWith) && context.subjects.includes(b.id)).map((b) => [b.pairedWith!, b]));
    const pairedIds = new Set([...pairOf.values()].map((b) => b.id));
    for (const subject of context.subjects) {
      if (context.signal.aborted) break;
      if (pairedIds.has(subject)) continue;
      const baseline = baselineById.get(subject);
      await guarded(context, subject, () => (baseline !== undefined ? baselineCases(baseline, context, out) : runnerCases(subject, context, out, pairOf.get(subject))));
    }
    return out;
  },
};
