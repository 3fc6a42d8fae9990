// `throughput`: jobs/s to drain N jobs at concurrency C, for noop, sleep {ms} and cpu {ms},
// for every runner and every raw baseline in the same run (so kit ÷ raw is a same-run ratio).
//
// How it works: one runner per subject, reused for every case; unrecorded warm-up drains per
// case (JIT, connections, lazily created queues) that also size N, then several samples,
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
  /** Jobs in the first warm-up drain; later ones are sized from the rate it showed. */
  readonly warmupJobs: number;
  /**
   * Jobs per drain for a runner that starts every job at once (fire-and-forget). Its rate on
   * sleep jobs grows with N (N timers run side by side), so sizing N from a warm-up feeds the
   * warm-up's noise back into the figure: three runs sized it 1 644, 5 970 and 5 753 jobs and
   * read 46k, 27k and 31k jobs/s. A fixed N makes the figure repeatable.
   */
  readonly unboundedJobs?: number;
}

export const CONCURRENCY = 50;

/** How a profile measures throughput. */
export interface ThroughputPlan {
  /** Samples per figure: at least `minRepeats`, more while `caseBudgetMs` lasts, at most `maxRepeats`. */
  readonly minRepeats: number;
  readonly maxRepeats: number;
  /** Sampling time per subject and case after which no further sample starts. */
  readonly caseBudgetMs: number;
  /** A sample drains until it has lasted this long. */
  readonly targetMs: number;
  /** Warm-up drains last at least this long together. */
  readonly warmupMs: number;
  readonly minJobs: number;
  /**
   * Queue runners need a line deeper than their concurrency before the rate means anything: a
   * drain of 50 jobs at concurrency 50 is all ramp-up and wind-down.
   */
  readonly minQueueJobs: number;
  readonly maxJobs: number;
  readonly cases: readonly ThroughputCase[];
}

/**
 * Each sample drains enough jobs to take about `targetMs` at the rate the warm-up showed,
 * within [minJobs, maxJobs]: runners differ 1000-fold in speed, so a fixed N is either a
 * sub-millisecond blip for one or minutes for another. Quick takes as many samples as fit in
 * a second, up to 5: a 250 ms sample of an in-process runner catches a garbage collection or
 * not, so single samples of one figure differ by 20–40% and a median of 5 holds better than a
 * median of 3. A queue on PostgreSQL gets its 3 and no more, as one drain there is already
 * most of a second.
 */
export function throughputPlan(profile: Profile): ThroughputPlan {
  const full = profile === 'full';
  return {
    minRepeats: full ? 5 : 3,
    maxRepeats: full ? 5 : 5,
    caseBudgetMs: full ? 0 : 1000,
    targetMs: full ? 2000 : 250,
    warmupMs: full ? 3000 : 600,
    minJobs: 50,
    minQueueJobs: (full ? 10 : 4) * CONCURRENCY,
    maxJobs: full ? 500_000 : 50_000,
    cases: [
      { job: 'noop', data: null, label: 'noop', warmupJobs: 200 },
      { job: 'sleep', data: { ms: 5 }, label: 'sleep 5ms', warmupJobs: 200, unboundedJobs: 2000 },
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

function jobsFor(plan: ThroughputPlan, warmupJobs: number, warmupMs: number): number {
  const rate = warmupJobs / Math.max(warmupMs, 0.001);
  return Math.round(Math.min(plan.maxJobs, Math.max(plan.minJobs, rate * plan.targetMs)));
}

/**
 * Unrecorded drains until together they last `warmupMs` (at least two), each sized from the
 * rate of the one before; returns the N the last one suggests. A fresh runner's first drains
 * run cold code (JIT tiers, connections, pool threads starting): bullmq-redis drained noops
 * at 6–7k jobs/s for its first 3 000–4 000 jobs and 12k/s after, and worker-pool's first
 * drain read half its steady rate. Timed, that sank the first sample and sized N too small.
 */
async function warmUp(plan: ThroughputPlan, c: ThroughputCase, drainer: Drainer, signal: AbortSignal): Promise<number> {
  let jobs = c.warmupJobs;
  let spent = 0;
  for (let round = 0; (round < 2 || spent < plan.warmupMs) && !signal.aborted; round++) {
    const ms = await drainer(jobs);
    spent += ms;
    jobs = jobsFor(plan, jobs, ms);
  }
  return jobs;
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
  /** Starts every job at once (no concurrency limit): see ThroughputCase.unboundedJobs. */
  readonly unbounded: boolean;
  readonly drainer: (c: ThroughputCase) => Drainer;
}

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
      const sized = await warmUp(plan, c, drainers[i]!, context.signal);
      jobs = Math.max(jobs, side.unbounded && c.unboundedJobs !== undefined ? c.unboundedJobs : sized);
    }
    const samples = sides.map((): number[] => []);
    const started = performance.now();
    // Every side has had its sample before the budget is looked at again, so pairs stay even.
    for (let r = 0; r < plan.maxRepeats && !context.signal.aborted; r++) {
      if (r >= plan.minRepeats && performance.now() - started >= plan.caseBudgetMs * sides.length) break;
      for (const [i, side] of sides.entries()) {
        if (context.signal.aborted) break;
        context.progress(`throughput ${side.id} ${c.label}: sample ${r + 1}`);
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
    unbounded: false,
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
    const plan = throughputPlan(context.profile);
    const kit: Side = { id, note: opened.note, unbounded: opened.unbounded === true, drainer: (c) => async (jobs) => (await drain(runner, c.job, c.data, jobs)).elapsedMs };
    const isQueue = runner.traits.durable;
    await cases(paired === undefined ? [kit] : [kit, baselineSide(paired, context)], context, out, isQueue ? plan.minQueueJobs : plan.minJobs);
  } finally {
    await closeRunner(opened.runner);
    await paired?.close?.();
  }
}

async function baselineCases(baseline: ThroughputBaseline, context: BenchContext, out: Measurement[]): Promise<void> {
  const plan = throughputPlan(context.profile);
  try {
    await cases([baselineSide(baseline, context)], context, out, baseline.pairedWith === undefined ? plan.minJobs : plan.minQueueJobs);
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
