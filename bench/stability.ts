// `stability A B C …`: is this machine quiet enough to trust a figure? For every figure present
// in all the files, the medians across runs and their spread, (max − min) ÷ median of the
// medians, the same rule stats.ts applies to repeats within one run. A figure whose medians
// moved by more than the limit (default 15%, issue 5's acceptance for back-to-back quick runs)
// is flagged. Only figures measured in every file, with the same job count, count; the rest
// are counted in one line each. The runs must be like for like (like-for-like.ts): what
// differs is said first, and runs of other profiles or machines are refused, since their
// medians would differ for reasons that are not noise. An interrupted run is named.

import { figureKey, type BenchResults, type SummarizedMeasurement } from './results.ts';
import { describeRun, formatNumber } from './print.ts';
import { countByScenario, differences, formatDifferences, jobCountsDiffer, type Difference } from './like-for-like.ts';
import { median } from './stats.ts';

export const DEFAULT_STABILITY_LIMIT = 0.15;

export interface StableFigure {
  readonly key: string;
  readonly unit: string;
  readonly medians: readonly number[];
  readonly spread: number;
  readonly unstable: boolean;
}

export interface Stability {
  readonly figures: readonly StableFigure[];
  readonly unstable: readonly StableFigure[];
  /** Figures missing from at least one file. */
  readonly partial: readonly string[];
  /** Figures in every file but measured with different job counts. */
  readonly otherJobCounts: readonly string[];
  readonly differences: readonly Difference[];
  /** One line per run: where and when it was measured, and whether it was interrupted. */
  readonly runs: readonly string[];
  /** Runs (1-based) that a Ctrl-C cut short. */
  readonly interrupted: readonly number[];
}

/** Stability across runs of another profile or machine measures the difference, not the noise. */
export function notLikeForLike(s: Stability): boolean {
  return s.differences.some((d) => d.breaksLikeForLike);
}


export function stabilityOf(runs: readonly BenchResults[], options: { readonly limit?: number; readonly scenario?: string } = {}): Stability {
  const limit = options.limit ?? DEFAULT_STABILITY_LIMIT;
  const byKey = new Map<string, SummarizedMeasurement[]>();
  for (const run of runs) {
    for (const m of run.measurements) {
      if (options.scenario !== undefined && m.scenario !== options.scenario) continue;
      byKey.set(figureKey(m), [...(byKey.get(figureKey(m)) ?? []), m]);
    }
  }
  const figures: StableFigure[] = [];
  const partial: string[] = [];
  const otherJobCounts: string[] = [];
  for (const [key, ms] of byKey) {
    if (ms.length < runs.length) {
      partial.push(key);
      continue;
    }
    if (jobCountsDiffer(ms)) {
      otherJobCounts.push(key);
      continue;
    }
    const medians = ms.map((m) => m.median);
    const mid = median(medians);
    const spread = mid === 0 ? 0 : (Math.max(...medians) - Math.min(...medians)) / mid;
    figures.push({ key, unit: ms[0]?.unit ?? '', medians, spread, unstable: spread > limit });
  }
  return {
    figures,
    unstable: figures.filter((f) => f.unstable),
    partial,
    otherJobCounts,
    differences: differences(runs),
    interrupted: runs.flatMap((run, i) => (run.complete ? [] : [i + 1])),
    runs: runs.map((run, i) => `run ${i + 1}: ${describeRun(run)}${run.complete ? '' : ' · INTERRUPTED (Ctrl-C): only what finished is in it'}`),
  };
}

export function formatStability(s: Stability, limit = DEFAULT_STABILITY_LIMIT): string {
  const lines = [...s.runs, s.differences.length === 0 ? 'what differs: nothing but the date' : `what differs: ${formatDifferences(s.differences)}`];
  if (notLikeForLike(s)) {
    lines.push('NOT LIKE FOR LIKE: these runs differ in profile or machine, so their medians differ for reasons that are not noise; run `stability` on back-to-back runs of one profile on one machine');
    return lines.join('\n') + '\n';
  }
  lines.push('');
  lines.push(...s.figures.map((f) => `${f.key}: ${f.medians.map(formatNumber).join(' / ')} ${f.unit}  spread ${(f.spread * 100).toFixed(0)}%${f.unstable ? '  UNSTABLE' : ''}`));
  if (s.partial.length > 0) lines.push(`not in every file: ${s.partial.length} (${countByScenario(s.partial)})`);
  if (s.otherJobCounts.length > 0) lines.push(`not compared, measured with other job counts: ${s.otherJobCounts.length} (${countByScenario(s.otherJobCounts)})`);
  lines.push(
    s.unstable.length === 0
      ? `stable: every median within ${(limit * 100).toFixed(0)}% across the runs (${s.figures.length} figures)`
      : `${s.unstable.length} of ${s.figures.length} figures moved more than ${(limit * 100).toFixed(0)}% across the runs`,
  );
  if (s.interrupted.length > 0) lines.push(`not a pass: run ${s.interrupted.join(' and ')} was interrupted, so some figures were never measured`);
  return lines.join('\n') + '\n';
}
