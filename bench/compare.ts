// `compare A B`: every figure present in both files as B ÷ A, and a regression flag when B is
// worse than A by more than the threshold (default 10%) in the figure's own direction
// (`better: higher` for jobs/s, `lower` for latencies). A regression in a figure flagged noisy
// in either file is still listed, marked noisy, and still counts: the rule is written down,
// not decided per case. Figures in only one file are listed as added or missing.

import { figureKey, type BenchResults } from './results.ts';
import { formatNumber } from './print.ts';

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
  readonly figures: readonly ComparedFigure[];
  readonly regressions: readonly ComparedFigure[];
  readonly onlyBefore: readonly string[];
  readonly onlyAfter: readonly string[];
}


export function compareResults(before: BenchResults, after: BenchResults, threshold = DEFAULT_THRESHOLD): Comparison {
  const a = new Map(before.measurements.map((m) => [figureKey(m), m]));
  const b = new Map(after.measurements.map((m) => [figureKey(m), m]));
  const figures: ComparedFigure[] = [];
  for (const [key, x] of a) {
    const y = b.get(key);
    if (y === undefined) continue;
    const ratio = x.median === 0 ? (y.median === 0 ? 1 : Number.POSITIVE_INFINITY) : y.median / x.median;
    const worseBy = x.better === 'higher' ? 1 - ratio : ratio - 1;
    figures.push({ key, before: x.median, after: y.median, unit: x.unit, ratio, worseBy, regression: worseBy > threshold, noisy: x.noisy || y.noisy });
  }
  return {
    figures,
    regressions: figures.filter((f) => f.regression),
    onlyBefore: [...a.keys()].filter((k) => !b.has(k)),
    onlyAfter: [...b.keys()].filter((k) => !a.has(k)),
  };
}

export function formatComparison(c: Comparison, threshold = DEFAULT_THRESHOLD): string {
  const lines = c.figures.map((f) => {
    const mark = f.regression ? `REGRESSION (${(f.worseBy * 100).toFixed(0)}% worse)` : '';
    return `${f.key}: ${formatNumber(f.before)} → ${formatNumber(f.after)} ${f.unit}  ×${f.ratio.toFixed(2)}  ${mark}${f.noisy ? ' noisy' : ''}`.trimEnd();
  });
  for (const k of c.onlyBefore) lines.push(`${k}: missing from the second file`);
  for (const k of c.onlyAfter) lines.push(`${k}: new in the second file`);
  lines.push(
    c.regressions.length === 0
      ? `no regressions beyond ${(threshold * 100).toFixed(0)}% (${c.figures.length} figures compared)`
      : `${c.regressions.length} regression(s) beyond ${(threshold * 100).toFixed(0)}% out of ${c.figures.length} figures`,
  );
  return lines.join('\n') + '\n';
}
