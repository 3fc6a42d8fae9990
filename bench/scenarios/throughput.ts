// `throughput`: jobs/s to drain N jobs at concurrency C, for noop, sleep {ms} and cpu {ms},
// for every runner and every raw baseline in the same run (so kit ÷ raw is a same-run ratio).
//
// How it works: every subject is opened once and kept for the whole scenario. The samples are
// taken in rounds, one sample of every figure (a subject's case) per round, so a figure's
// samples are spread over the whole scenario instead of a two-second slice of it; in round 1
// each figure is first warmed up with unrecorded drains that also size N. This machine's load comes and
// goes over tens of seconds: measured back to back, every sample of a figure could land in one
// busy spell (three runs once read bullmq-redis noop 5.9k / 9.2k / 5.5k jobs/s, kit and raw
// alike); spread over rounds, a spell costs a figure one sample, and the median drops it.
// A sample is one or more drains timed from the first submit to the last `completed` event.
// A round takes one case at a time over every subject, each runner's peer (bench/peers.ts:
// p-queue, piscina) right after the runners compared with it, and runs backwards every other
// round, so a runner's sample and its peer's are taken seconds apart and neither always goes
// first. A runner and its raw baseline (bullmq-redis and bullmq-raw-redis) go further, in
// lockstep: same N, samples side by side with the order swapped every round, so their ratio
// is the kit's overhead and not the machine's mood between the two. After the minimum rounds,
// only figures whose samples still disagree get more, while the profile's budget lasts.

import type { Json } from '../../src/contract.ts';
import { drain } from '../drive.ts';
import { jsonNotes } from '../results.ts';
import { besidePeers } from '../peers.ts';
import { median } from '../stats.ts';
import { closeRunner, guarded, lineFor, openRunner, skipFailed } from '../subjects.ts';
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
  /** Rounds every figure gets. */
  readonly minRepeats: number;
  /** Most samples of one figure. */
  readonly maxRepeats: number;
  /** A figure whose samples span at most this fraction of their median needs no more rounds. */
  readonly settledSpread: number;
  /** Time for rounds beyond `minRepeats`: no further round starts once they have taken this long. */
  readonly extraRoundsMs: number;
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
 * sub-millisecond blip for one or minutes for another. A 200 ms sample of an in-process noop
 * drain catches a garbage collection or not, and the machine's busy spells, so its samples
 * differ by 20–40%, while cpu and sleep figures agree within a few percent. So every figure
 * gets `minRepeats` rounds and only the ones still spread wider than `settledSpread` get more,
 * up to `maxRepeats`, which puts quick's time where the noise is.
 */
export function throughputPlan(profile: Profile): ThroughputPlan {
  const full = profile === 'full';
  return {
    minRepeats: full ? 5 : 3,
    maxRepeats: full ? 9 : 7,
    settledSpread: 0.1,
    extraRoundsMs: full ? 120_000 : 8_000,
    targetMs: full ? 1500 : 200,
    warmupMs: full ? 3000 : 250,
    minJobs: 64,
    minQueueJobs: full ? 512 : 256,
    maxJobs: full ? 2 ** 19 : 2 ** 16,
    cases: [
      { job: 'noop', data: null, label: 'noop', warmupJobs: 200 },
      { job: 'sleep', data: { ms: 5 }, label: 'sleep 5ms', warmupJobs: 200, unboundedJobs: 2048 },
      { job: 'cpu', data: { ms: 2 }, label: 'cpu 2ms', warmupJobs: 50 },
    ],
  };
}

/**
 * One sample: drains of `jobs` jobs, repeated until together they last at least `targetMs`,
 * as total jobs ÷ total time. The job cap keeps one drain's memory bounded, and a runner fast
 * enough to drain the cap in a few milliseconds (a bare promise does 65 536 noops in ~4 ms)
 * would otherwise be timed over one GC pause or scheduler blip. A sample that Ctrl-C cut
 * short of `targetMs` is no sample: undefined.
 */
async function sample(targetMs: number, jobs: number, drainOnce: () => Promise<number>, signal: AbortSignal): Promise<number | undefined> {
  let total = 0;
  let elapsed = 0;
  do {
    elapsed += await drainOnce();
    total += jobs;
  } while (elapsed < targetMs && !signal.aborted);
  return elapsed < targetMs ? undefined : (total / elapsed) * 1000;
}

/**
 * N for a drain that lasts at least `targetMs` at the rate seen: the next power of two, so
 * a sample is one drain of 1–2× the target, and runs whose warm-ups differ by a few percent
 * still drain the same N. The figure moves with N where a drain's start and end cost a fixed
 * time: bullmq-postgres drained sleep jobs at ~1 040/s with N = 200, ~1 100 with 256 and
 * ~1 220 with 400, so three runs whose warm-ups sized 208, 231 and 265 read 862, 1 045 and
 * 1 055; a figure that moves with the warm-up's luck cannot be compared across runs.
 */
function jobsFor(plan: ThroughputPlan, warmupJobs: number, warmupMs: number): number {
  const rate = warmupJobs / Math.max(warmupMs, 0.001);
  const wanted = Math.max(1, rate * plan.targetMs);
  return Math.min(plan.maxJobs, Math.max(plan.minJobs, 2 ** Math.ceil(Math.log2(wanted))));
}

type Drainer = (jobs: number) => Promise<number>;

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

/** Who is measured: a runner or a raw baseline, how to drain a case on it, and its note. */
interface Side {
  readonly id: string;
  readonly note: string | undefined;
  /** Starts every job at once (no concurrency limit): see ThroughputCase.unboundedJobs. */
  readonly unbounded: boolean;
  readonly drainer: (c: ThroughputCase) => Drainer;
}

/** An opened subject: one side, or a runner and its raw baseline measured in lockstep. */
interface Entrant {
  readonly id: string;
  readonly sides: readonly Side[];
  readonly minJobs: number;
  /** The jobs it is measured on, when not every case (a floor kept for one ratio). */
  readonly onlyJobs?: readonly ThroughputCase['job'][];
  /** Stops the runner and frees the baseline; safe to call twice. */
  close(): Promise<void>;
  /** Set when a drain threw: the entrant is closed and left out of later rounds (its skip row says why). */
  failed: boolean;
}

/** Makes `close` run once, however often it is called. */
function once(close: () => Promise<void>): () => Promise<void> {
  let closing: Promise<void> | undefined;
  return () => (closing ??= close());
}

/** One case on an entrant: every side drains the same N, and each side's samples are kept. */
interface Figures {
  readonly entrant: Entrant;
  readonly c: ThroughputCase;
  readonly drainers: readonly Drainer[];
  readonly samples: readonly number[][];
  jobs: number;
}

function baselineSide(baseline: ThroughputBaseline, context: BenchContext): Side {
  return {
    id: baseline.id,
    note: 'raw baseline',
    unbounded: false,
    drainer: (c) => (jobs) => baseline.drain({ job: c.job, data: c.data, jobs, concurrency: CONCURRENCY, services: context.services }),
  };
}

/** Opens a runner (with its raw baseline beside it when that is measured too); undefined if skipped. */
async function openEntrant(id: string, context: BenchContext, paired: ThroughputBaseline | undefined): Promise<Entrant | undefined> {
  const plan = throughputPlan(context.profile);
  // A drain submits all its jobs before they finish: the line must hold the largest drain.
  const opened = await openRunner(id, context, { concurrency: CONCURRENCY, ...lineFor(id, plan.maxJobs) });
  if ('skipped' in opened) {
    context.skip(id, opened.skipped.reason, opened.skipped.fix);
    // The baseline is still worth measuring alone.
    return paired === undefined ? undefined : baselineEntrant(paired, context);
  }
  const runner = opened.runner;
  const kit: Side = { id, note: opened.note, unbounded: opened.unbounded === true, drainer: (c) => async (jobs) => (await drain(runner, c.job, c.data, jobs)).elapsedMs };
  return {
    id,
    sides: paired === undefined ? [kit] : [kit, baselineSide(paired, context)],
    minJobs: runner.traits.durable ? plan.minQueueJobs : plan.minJobs,
    failed: false,
    close: once(async () => {
      await closeRunner(runner);
      await paired?.close?.();
    }),
  };
}

function baselineEntrant(baseline: ThroughputBaseline, context: BenchContext): Entrant {
  const plan = throughputPlan(context.profile);
  return {
    id: baseline.id,
    sides: [baselineSide(baseline, context)],
    minJobs: baseline.pairedWith === undefined ? plan.minJobs : plan.minQueueJobs,
    ...(baseline.onlyJobs === undefined ? {} : { onlyJobs: baseline.onlyJobs }),
    failed: false,
    close: once(async () => void (await baseline.close?.())),
  };
}

/**
 * Runs `work` on behalf of an entrant. An error drops the entrant from later rounds, closes it
 * at once (a runner left with jobs in flight would keep working under every later figure) and
 * becomes a skip row naming the side that threw: `work` says whose turn it is in `blame.id`.
 */
async function onBehalf(context: BenchContext, entrant: Entrant, work: (blame: { id: string }) => Promise<void>): Promise<void> {
  const blame = { id: entrant.id };
  try {
    await work(blame);
  } catch (error) {
    entrant.failed = true;
    await entrant.close().catch(() => undefined);
    skipFailed(context, blame.id, error);
  }
}

/** Warm-up of every side, then N: the larger of the sides' sizes, so a pair drains alike. */
async function warmFigures(f: Figures, plan: ThroughputPlan, context: BenchContext, blame: { id: string }): Promise<void> {
  for (const [i, side] of f.entrant.sides.entries()) {
    if (context.signal.aborted) return;
    blame.id = side.id;
    context.progress(`throughput ${side.id} ${f.c.label}: warm-up`);
    const sized = await warmUp(plan, f.c, f.drainers[i]!, context.signal);
    f.jobs = Math.max(f.jobs, side.unbounded && f.c.unboundedJobs !== undefined ? f.c.unboundedJobs : sized);
  }
}

function settled(f: Figures, plan: ThroughputPlan): boolean {
  return f.samples.every((s) => s.length > 0 && (Math.max(...s) - Math.min(...s)) / median(s) <= plan.settledSpread);
}

/**
 * Sampling rounds over `all`, in its order in even rounds and backwards in odd ones. Round 1
 * warms each figure up just before its first sample, so Ctrl-C at any point keeps every figure
 * sampled so far. Every figure gets the first `minRepeats` rounds; later rounds take only
 * unsettled figures, and none starts once the extra rounds have taken `extraRoundsMs`. A pair
 * samples side by side, kit first in even rounds and raw first in odd ones, and keeps a round's
 * samples only when both sides have theirs, so a pair never ends with uneven counts.
 */
async function rounds(all: readonly Figures[], plan: ThroughputPlan, context: BenchContext): Promise<void> {
  let extraStarted: number | undefined;
  for (let r = 0; r < plan.maxRepeats && !context.signal.aborted; r++) {
    if (r === plan.minRepeats) extraStarted = performance.now();
    if (extraStarted !== undefined && performance.now() - extraStarted >= plan.extraRoundsMs) return;
    const due = all.filter((f) => !f.entrant.failed && (r < plan.minRepeats || !settled(f, plan)));
    if (due.length === 0) return;
    if (r % 2 === 1) due.reverse();
    for (const f of due) {
      if (context.signal.aborted) return;
      if (f.entrant.failed) continue;
      await onBehalf(context, f.entrant, async (blame) => {
        if (r === 0) await warmFigures(f, plan, context, blame);
        const order = f.entrant.sides.map((_, i) => i);
        if (r % 2 === 1) order.reverse();
        const taken: number[] = [];
        for (const i of order) {
          blame.id = f.entrant.sides[i]!.id;
          // "round 9" of an unknown number told nobody how far along the scenario was.
          const round = r < plan.minRepeats ? `round ${r + 1} of ${plan.minRepeats}` : `extra round ${r + 1 - plan.minRepeats} of at most ${plan.maxRepeats - plan.minRepeats} (figures still spread)`;
          context.progress(`throughput ${round}: ${blame.id} ${f.c.label}`);
          if (context.signal.aborted) return;
          const rate = await sample(plan.targetMs, f.jobs, () => f.drainers[i]!(f.jobs), context.signal);
          if (rate === undefined) return;
          taken[i] = rate;
        }
        for (const [i, rate] of taken.entries()) f.samples[i]!.push(rate);
      });
    }
  }
}

/** A runner with no concurrency limit is not labelled with the others' limit: its case says so. */
export const UNBOUNDED_CASE = 'no limit';

function measurement(side: Side, c: ThroughputCase, jobs: number, samples: readonly number[]): Measurement {
  return {
    scenario: 'throughput',
    subject: side.id,
    case: `${c.label} ${side.unbounded ? UNBOUNDED_CASE : `c=${CONCURRENCY}`}`,
    metric: 'jobs/s',
    unit: 'jobs/s',
    better: 'higher',
    samples,
    notes: jsonNotes({ jobs, concurrency: side.unbounded ? undefined : CONCURRENCY, note: side.note }),
  };
}

export const throughput: Scenario = {
  name: 'throughput',
  summary: `jobs/s draining N noop, sleep 5ms and cpu 2ms jobs at concurrency ${CONCURRENCY}, runners and raw baselines`,
  async run(context) {
    const plan = throughputPlan(context.profile);
    const baselineById = new Map(context.baselines.map((b) => [b.id, b]));
    // A baseline whose runner is measured too runs with it, in lockstep, not on its own.
    const pairOf = new Map(context.baselines.filter((b) => b.pairedWith !== undefined && context.subjects.includes(b.pairedWith) && context.subjects.includes(b.id)).map((b) => [b.pairedWith!, b]));
    const pairedIds = new Set([...pairOf.values()].map((b) => b.id));
    const entrants: Entrant[] = [];
    try {
      for (const subject of besidePeers(context.subjects)) {
        if (context.signal.aborted) break;
        if (pairedIds.has(subject)) continue;
        const baseline = baselineById.get(subject);
        context.progress(`throughput ${subject}: opening`);
        await guarded(context, subject, async () => {
          const entrant = baseline !== undefined ? baselineEntrant(baseline, context) : await openEntrant(subject, context, pairOf.get(subject));
          if (entrant !== undefined) entrants.push(entrant);
        });
      }
      const all: Figures[] = entrants.flatMap((entrant) =>
        plan.cases.filter((c) => entrant.onlyJobs?.includes(c.job) ?? true).map((c) => ({ entrant, c, drainers: entrant.sides.map((side) => side.drainer(c)), samples: entrant.sides.map((): number[] => []), jobs: entrant.minJobs })),
      );
      // Sampled one case at a time, so a runner and its peer are measured close together.
      await rounds(plan.cases.flatMap((c) => all.filter((f) => f.c === c)), plan, context);
      return all.flatMap((f) => f.entrant.sides.flatMap((side, i) => (f.samples[i]!.length > 0 ? [measurement(side, f.c, f.jobs, f.samples[i]!)] : [])));
    } finally {
      for (const entrant of entrants) await entrant.close().catch(() => undefined);
    }
  },
};
