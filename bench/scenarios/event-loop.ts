// `event-loop`: the main thread's event-loop delay while each subject drains cpu jobs and
// sleep jobs: the price of in-process work in Node, side by side with threads and queues.
//
// How it works: perf_hooks.monitorEventLoopDelay at a 1 ms resolution (the smallest; the
// default 10 ms hides short blocks), enabled only around the drain. Its figures include the
// resolution itself (an idle loop reads about the resolution), so lag = value − resolution;
// figures are nanoseconds, reported in ms. Long blocks are under-counted (Node issue 34661): read max with that in mind.
// An `idle` row measures the loop doing nothing, for scale.

import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { drain, latencySummary } from '../drive.ts';
import { jsonNotes } from '../results.ts';
import { closeRunner, guarded, openRunner } from '../subjects.ts';
import type { BenchContext, Measurement, Scenario } from '../types.ts';

const RESOLUTION_MS = 1;
const CONCURRENCY = 50;

interface Lag {
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

/**
 * Event-loop lag in ms while `work` runs. Two probes: monitorEventLoopDelay, and a 1 ms timer
 * chain that records how late each tick fires, plus the gap still open when the work ends.
 * The monitor alone read 0 for a drain that blocked the loop from start to finish (its sample
 * never fired inside the window), so the figure is the larger of the two, per percentile.
 */
export async function lagDuring(work: () => Promise<unknown>): Promise<Lag> {
  const monitor = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  const ticks: number[] = [];
  let expected = performance.now() + RESOLUTION_MS;
  let timer: NodeJS.Timeout | undefined;
  const tick = () => {
    const t = performance.now();
    ticks.push(Math.max(0, t - expected));
    expected = t + RESOLUTION_MS;
    timer = setTimeout(tick, RESOLUTION_MS);
  };
  monitor.enable();
  timer = setTimeout(tick, RESOLUTION_MS);
  try {
    await work();
    // The block that ends with the work is still open: count it before it is forgotten.
    ticks.push(Math.max(0, performance.now() - expected));
    await sleep(RESOLUTION_MS * 3);
  } finally {
    clearTimeout(timer);
    monitor.disable();
  }
  const lag = (ns: number) => Math.max(0, ns / 1e6 - RESOLUTION_MS);
  const probe = latencySummary(ticks);
  // Two histograms round differently (a percentile is its bucket's top): held to the max, so a
  // row never reads a p99 above its max (the reference had p99 2,011.1 ms beside max 2,010.7).
  const max = Math.max(lag(monitor.max), probe.max);
  const at = (p: number, fromProbe: number) => Math.min(max, Math.max(lag(monitor.percentile(p)), fromProbe));
  return { p50: at(50, probe.p50), p99: at(99, probe.p99), max };
}

// #region cases
function cases(context: BenchContext) {
  const full = context.profile === 'full';
  return [
    { job: 'cpu' as const, data: { ms: 5 }, label: 'cpu 5ms', jobs: full ? 400 : 60 },
    { job: 'sleep' as const, data: { ms: 5 }, label: 'sleep 5ms', jobs: full ? 2000 : 300 },
  ];
}
// #endregion cases

function push(out: Measurement[], subject: string, label: string, jobs: number, lags: Lag[], note?: string): void {
  for (const key of ['p50', 'p99', 'max'] as const) {
    out.push({
      scenario: 'event-loop',
      subject,
      case: label,
      metric: `lag ${key}`,
      unit: 'ms',
      better: 'lower',
      samples: lags.map((l) => l[key]),
      notes: jsonNotes({ jobs, concurrency: CONCURRENCY, resolutionMs: RESOLUTION_MS, note }),
    });
  }
}

export const eventLoop: Scenario = {
  name: 'event-loop',
  summary: 'main-thread event-loop lag p50/p99/max while each subject drains cpu 5ms and sleep 5ms jobs',
  async run(context) {
    const out: Measurement[] = [];
    const repeats = context.profile === 'full' ? 3 : 2;
    const idle: Lag[] = [];
    for (let r = 0; r < repeats; r++) idle.push(await lagDuring(() => sleep(context.profile === 'full' ? 1000 : 200)));
    push(out, 'idle', 'nothing running', 0, idle);
    for (const subject of context.subjects) {
      if (context.signal.aborted) break;
      await guarded(context, subject, async () => {
        const baseline = context.baselines.find((b) => b.id === subject);
        if (baseline?.onlyJobs !== undefined) return;
        const opened = baseline === undefined ? await openRunner(subject, context, { concurrency: CONCURRENCY }) : undefined;
        if (opened !== undefined && 'skipped' in opened) return context.skip(subject, opened.skipped.reason, opened.skipped.fix);
        try {
          for (const c of cases(context)) {
            const lags: Lag[] = [];
            for (let r = 0; r < repeats && !context.signal.aborted; r++) {
              context.progress(`event-loop ${subject} ${c.label}: run ${r + 1}/${repeats}`);
              const work = opened ? () => drain(opened.runner, c.job, c.data, c.jobs) : () => baseline!.drain({ job: c.job, data: c.data, jobs: c.jobs, concurrency: CONCURRENCY, services: context.services });
              lags.push(await lagDuring(work));
            }
            if (lags.length > 0) push(out, subject, c.label, c.jobs, lags, opened ? opened.note : 'raw baseline');
          }
        } finally {
          if (opened) await closeRunner(opened.runner);
          // A baseline's pool threads or stored queue must not outlive its figures.
          else await baseline?.close?.();
        }
      });
    }
    return out;
  },
};
