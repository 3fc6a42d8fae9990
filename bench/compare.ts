// `compare A B`: B ÷ A for every figure the two files can fairly share, and a regression flag
// when B is worse than A by more than the threshold (default 10%) in the figure's own
// direction (`better: higher` for jobs/s, `lower` for latencies). A regression in a figure
// flagged noisy in either file is still listed, marked noisy, and still counts: the rule is
// written down, not decided per case.
//
// Like for like first (like-for-like.ts): what differs between the two runs is said before
// any figure. Runs of another profile or machine are not compared figure by figure (a quick
// run on a busy laptop "regressed" 103 figures against a full run on a server); their
// within-file ratios (kit ÷ raw, speed-ups) are, since each was measured side by side on one
// machine. Figures measured with different job counts are left out and counted. Figures in
// only one file are one line each way, by scenario. An interrupted file is named as such,
// and the comparison cannot pass on it.

import { figureKey, type BenchResults, type SummarizedMeasurement } from './results.ts';
import { formatNumber, describeRun } from './print.ts';
import { countByScenario, differences, formatDifferences, jobCountsDiffer, likeForLike, withinFileRatios, type Difference } from './like-for-like.ts';

export const DEFAULT_THRESHOLD = 0.1;

export interface ComparedFigure {
  readonly key: string;
  readonly before: number;
  readonly after: number;
  readonly unit: string;
  /** after ÷ before. */
  readonly ratio: number;
  /** Relative change in the "worse" direction; positive means worse. */
  readonly worseBy: number;
  readonly regression: boolean;
  readonly noisy: boolean;
}

export interface Comparison {
  readonly before: BenchResults;
  readonly after: BenchResults;
  readonly differences: readonly Difference[];
  /** `figures`: every figure in both files; `ratios`: only the ratios each file measured within itself. */
  readonly basis: 'figures' | 'ratios';
  readonly figures: readonly ComparedFigure[];
  readonly regressions: readonly ComparedFigure[];
  /** In both files, but measured with different job counts: not compared. */
  readonly otherJobCounts: readonly string[];
  readonly onlyBefore: readonly string[];
  readonly onlyAfter: readonly string[];
  /** The files that a Ctrl-C cut short: 'before', 'after' or both. */
  readonly interrupted: readonly ('before' | 'after')[];
}

export interface CompareOptions {
  readonly threshold?: number;
  /** Compare every figure even when the runs are not like for like. */
  readonly allFigures?: boolean;
}

export function compareResults(before: BenchResults, after: BenchResults, options: CompareOptions = {}): Comparison {
  const threshold = options.threshold ?? DEFAULT_THRESHOLD;
  const diffs = differences([before, after]);
  const basis = likeForLike([before, after]) || options.allFigures === true ? 'figures' : 'ratios';
  const pick = (r: BenchResults): readonly SummarizedMeasurement[] => (basis === 'figures' ? r.measurements : withinFileRatios(r));
  const a = new Map(pick(before).map((m) => [figureKey(m), m]));
  const b = new Map(pick(after).map((m) => [figureKey(m), m]));
  const figures: ComparedFigure[] = [];
  const otherJobCounts: string[] = [];
  for (const [key, x] of a) {
    const y = b.get(key);
    if (y === undefined) continue;
    if (jobCountsDiffer([x, y])) {
      otherJobCounts.push(key);
      continue;
    }
    const ratio = x.median === 0 ? (y.median === 0 ? 1 : Number.POSITIVE_INFINITY) : y.median / x.median;
    const worseBy = x.better === 'higher' ? 1 - ratio : ratio - 1;
    figures.push({ key, before: x.median, after: y.median, unit: x.unit, ratio, worseBy, regression: worseBy > threshold, noisy: x.noisy || y.noisy });
  }
  return {
    before,
    after,
    differences: diffs,
    basis,
    figures,
    regressions: figures.filter((f) => f.regression),
    otherJobCounts,
    onlyBefore: [...a.keys()].filter((k) => !b.has(k)),
    onlyAfter: [...b.keys()].filter((k) => !a.has(k)),
    interrupted: [...(before.complete ? [] : ['before' as const]), ...(after.complete ? [] : ['after' as const])],
  };
}

/** Passes when nothing regressed and neither file was cut short. */
export function comparisonPasses(c: Comparison): boolean {
  return c.regressions.length === 0 && c.interrupted.length === 0;
}

/** What is compared with what, and on what basis: printed before any figure. */
export function comparisonHeader(c: Comparison, names: { readonly before: string; readonly after: string } = { before: 'before', after: 'after' }): string[] {
  const lines = [`before: ${names.before}`, `        ${describeRun(c.before)}`, `after:  ${names.after}`, `        ${describeRun(c.after)}`];
  for (const which of c.interrupted) lines.push(`INTERRUPTED: the ${which} file was cut short by Ctrl-C; its missing figures are not measured, and this comparison cannot pass`);
  lines.push(c.differences.length === 0 ? 'what differs: nothing but the date' : `what differs: ${formatDifferences(c.differences)}`);
  if (c.basis === 'ratios') {
    lines.push('NOT LIKE FOR LIKE (another profile or machine): absolute figures are not compared. Compared instead: the ratios each file measured within itself (kit ÷ raw, speed-ups, micro times), which hold across machines. --all-figures compares everything anyway.');
  } else if (c.differences.some((d) => d.breaksLikeForLike)) {
    lines.push('NOT LIKE FOR LIKE (another profile or machine), compared figure by figure as asked (--all-figures): read every flag below with that in mind');
  }
  return lines;
}

export function formatComparison(c: Comparison, threshold = DEFAULT_THRESHOLD, names?: { readonly before: string; readonly after: string }): string {
  const lines = [...comparisonHeader(c, names), ''];
  for (const f of c.figures) {
    const mark = f.regression ? `REGRESSION (${(f.worseBy * 100).toFixed(0)}% worse)` : '';
    lines.push(`${f.key}: ${formatNumber(f.before)} → ${formatNumber(f.after)} ${f.unit}  ×${f.ratio.toFixed(2)}  ${mark}${f.noisy ? ' noisy' : ''}`.trimEnd());
  }
  if (c.otherJobCounts.length > 0) lines.push(`not compared, measured with other job counts: ${c.otherJobCounts.length} (${countByScenario(c.otherJobCounts)})`);
  if (c.onlyBefore.length > 0) lines.push(`only in the before file: ${c.onlyBefore.length} (${countByScenario(c.onlyBefore)})`);
  if (c.onlyAfter.length > 0) lines.push(`only in the after file: ${c.onlyAfter.length} (${countByScenario(c.onlyAfter)})`);
  const what = c.basis === 'ratios' ? 'within-file ratios' : 'figures';
  const verdict =
    c.regressions.length === 0
      ? `no regressions beyond ${(threshold * 100).toFixed(0)}% (${c.figures.length} ${what} compared)`
      : `${c.regressions.length} regression(s) beyond ${(threshold * 100).toFixed(0)}% out of ${c.figures.length} ${what}`;
  lines.push(c.interrupted.length > 0 ? `${verdict}; not a pass: the ${c.interrupted.join(' and ')} file was interrupted` : verdict);
  return lines.join('\n') + '\n';
}
