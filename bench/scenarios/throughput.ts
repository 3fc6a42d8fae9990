// `throughput`: jobs/s to drain N jobs at concurrency C, for noop, sleep {ms} and cpu {ms},
// for every runner and every raw baseline in the same run (so kit ÷ raw is a same-run ratio).
//
// How it works: one runner per subject, reused for every case; one unrecorded warm-up drain
// per case (JIT, connections, lazily created queues) that also sizes N, then `repeats` samples,
// each one or more drains timed from the first submit to the last `completed` event the runner
// reports.

import type { Json } from '../../src/contract.ts';
import { drain } from '../drive.ts';
import { jsonNotes } from '../results.ts';
import { closeRunner, guarded, openRunner } from '../subjects.ts';
import type { BenchContext, Measurement, Profile, Scenario } from '../types.ts';

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

async function runnerCases(id: string, context: BenchContext, out: Measurement[]): Promise<void> {
  const plan = throughputPlan(context.profile);
  const opened = await openRunner(id, context, { concurrency: CONCURRENCY });
  if ('skipped' in opened) return context.skip(id, opened.skipped.reason, opened.skipped.fix);
  try {
    for (const c of plan.cases) {
      if (context.signal.aborted) return;
      context.progress(`throughput ${id} ${c.label}: warm-up`);
      const warm = await drain(opened.runner, c.job, c.data, c.warmupJobs);
      const jobs = jobsFor(plan, c.warmupJobs, warm.elapsedMs);
      const samples: number[] = [];
      for (let r = 0; r < plan.repeats && !context.signal.aborted; r++) {
        context.progress(`throughput ${id} ${c.label}: run ${r + 1}/${plan.repeats}`);
        samples.push(await sample(plan.targetMs, jobs, async () => (await drain(opened.runner, c.job, c.data, jobs)).elapsedMs, context.signal));
      }
      if (samples.length > 0) out.push(measurement(id, c, jobs, samples, opened.note));
    }
  } finally {
    await closeRunner(opened.runner);
  }
}

async function baselineCases(id: string, context: BenchContext, out: Measurement[]): Promise<void> {
  const plan = throughputPlan(context.profile);
  const baseline = context.baselines.find((b) => b.id === id);
  if (baseline === undefined) return;
  for (const c of plan.cases) {
    if (context.signal.aborted) return;
    const args = { job: c.job, data: c.data, concurrency: CONCURRENCY, services: context.services };
    context.progress(`throughput ${id} ${c.label}: warm-up`);
    const jobs = jobsFor(plan, c.warmupJobs, await baseline.drain({ ...args, jobs: c.warmupJobs }));
    const samples: number[] = [];
    for (let r = 0; r < plan.repeats && !context.signal.aborted; r++) {
      context.progress(`throughput ${id} ${c.label}: run ${r + 1}/${plan.repeats}`);
      samples.push(await sample(plan.targetMs, jobs, () => baseline.drain({ ...args, jobs }), context.signal));
    }
    if (samples.length > 0) out.push(measurement(id, c, jobs, samples, 'raw baseline'));
  }
}

export const throughput: Scenario = {
  name: 'throughput',
  summary: `jobs/s draining N noop, sleep 5ms and cpu 2ms jobs at concurrency ${CONCURRENCY}, runners and raw baselines`,
  async run(context) {
    const out: Measurement[] = [];
    const baselineIds = new Set(context.baselines.map((b) => b.id));
    for (const subject of context.subjects) {
      if (context.signal.aborted) break;
      await guarded(context, subject, () => (baselineIds.has(subject) ? baselineCases(subject, context, out) : runnerCases(subject, context, out)));
    }
    return out;
  },
};
