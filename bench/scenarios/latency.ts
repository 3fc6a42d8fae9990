// `latency`: open-loop arrivals at fixed rates, from well below to past each runner's
// saturation, timed from each job's *intended* send time (drive.ts openLoop), so a runner that
// falls behind shows its queue in the tail instead of slowing the generator down.
// submit→start and submit→done p50/p95/p99/p99.9/max from an HDR histogram, per rate.
// One runner per subject, reused across rates, with an unrecorded warm-up burst first.
// Raw baselines have no lifecycle events, so this scenario measures runners only.

import { openLoop } from '../drive.ts';
import { jsonNotes } from '../results.ts';
import { closeRunner, guarded, lineFor, openRunner } from '../subjects.ts';
import type { BenchContext, Measurement, Profile, Scenario } from '../types.ts';

export const LATENCY_CONCURRENCY = 50;

/** A rate was kept up with when this share of it was done and nothing was left unfinished. */
export const KEPT_UP_SHARE = 0.8;

export function latencyPlan(profile: Profile): { rates: number[]; durationMs: number; repeats: number } {
  // Rates climb until the runner saturates (the loop below stops there): in-process runners
  // keep up with tens of thousands a second on one core, so the ladder goes that high.
  return profile === 'full'
    ? { rates: [100, 500, 1000, 2000, 5000, 10_000, 20_000, 50_000], durationMs: 3000, repeats: 3 }
    : { rates: [200, 1000, 4000, 16_000], durationMs: 500, repeats: 1 };
}

const PERCENTILES = [
  ['p50', 'p50'],
  ['p95', 'p95'],
  ['p99', 'p99'],
  ['p999', 'p99.9'],
  ['max', 'max'],
] as const;

async function one(id: string, context: BenchContext, out: Measurement[]): Promise<void> {
  const plan = latencyPlan(context.profile);
  // Open-loop arrivals do not wait for the runner: past saturation the line holds a whole run's
  // arrivals, which the bounded default (defaults.maxQueue) would refuse.
  const arrivals = Math.ceil((Math.max(...plan.rates) * plan.durationMs) / 1000);
  const opened = await openRunner(id, context, { concurrency: LATENCY_CONCURRENCY, ...lineFor(id, arrivals) });
  if ('skipped' in opened) return context.skip(id, opened.skipped.reason, opened.skipped.fix);
  try {
    context.progress(`latency ${id}: warm-up`);
    await openLoop(opened.runner, { job: 'noop', data: null, ratePerSecond: 500, durationMs: 200, signal: context.signal });
    for (const rate of plan.rates) {
      const samples = new Map<string, number[]>();
      let achieved: number[] = [];
      let unfinished = 0;
      for (let r = 0; r < plan.repeats && !context.signal.aborted; r++) {
        context.progress(`latency ${id}: ${rate}/s for ${plan.durationMs} ms, run ${r + 1}/${plan.repeats}`);
        const result = await openLoop(opened.runner, { job: 'noop', data: null, ratePerSecond: rate, durationMs: plan.durationMs, drainTimeoutMs: context.profile === 'full' ? 30_000 : 5_000, signal: context.signal });
        if (context.signal.aborted) break;
        for (const [which, summary] of [['submit→start', result.toStart], ['submit→done', result.toDone]] as const) {
          for (const [key, label] of PERCENTILES) {
            const name = `${label} ${which}`;
            samples.set(name, [...(samples.get(name) ?? []), summary[key]]);
          }
        }
        achieved = [...achieved, (result.finished / result.elapsedMs) * 1000];
        unfinished += result.unfinished;
      }
      for (const [metric, values] of samples) {
        out.push({
          scenario: 'latency',
          subject: id,
          case: `noop rate=${rate}/s`,
          metric,
          unit: 'ms',
          better: 'lower',
          samples: values,
          notes: jsonNotes({ offered: rate, achievedPerSecond: Math.round(Math.min(...achieved)), unfinished, concurrency: LATENCY_CONCURRENCY, note: opened.note }),
        });
      }
      // Past saturation (it finished well under the offered rate, or left jobs unfinished),
      // higher rates only lengthen the queue: the next rate would measure the same backlog.
      if (unfinished > 0 || Math.min(...achieved) < rate * KEPT_UP_SHARE) break;
    }
  } finally {
    await closeRunner(opened.runner);
  }
}

export const latency: Scenario = {
  name: 'latency',
  summary: 'open-loop noop arrivals at fixed rates up to past saturation; submit→start and submit→done percentiles from the intended send time',
  async run(context) {
    const out: Measurement[] = [];
    const baselineIds = new Set(context.baselines.map((b) => b.id));
    for (const subject of context.subjects) {
      if (context.signal.aborted) break;
      if (baselineIds.has(subject)) continue;
      await guarded(context, subject, () => one(subject, context, out));
    }
    return out;
  },
};
