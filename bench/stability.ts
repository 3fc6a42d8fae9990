// `stability A B C …`: is this machine quiet enough to trust a figure? For every figure present
// in all the files, the medians across runs and their spread, (max − min) ÷ median of the
// medians, the same rule stats.ts applies to repeats within one run. A figure whose medians
// moved by more than the limit (default 15%, issue 5's acceptance for back-to-back quick runs)
// is flagged. Only figures measured in every file count; the rest are listed as missing.

import { figureKey, type BenchResults, type SummarizedMeasurement } from './results.ts';
import { formatNumber } from './print.ts';
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
  for (const [key, ms] of byKey) {
    if (ms.length < runs.length) {
      partial.push(key);
      continue;
    }
    const medians = ms.map((m) => m.median);
    const mid = median(medians);
    const spread = mid === 0 ? 0 : (Math.max(...medians) - Math.min(...medians)) / mid;
    figures.push({ key, unit: ms[0]?.unit ?? '', medians, spread, unstable: spread > limit });
  }
  return { figures, unstable: figures.filter((f) => f.unstable), partial };
}

export function formatStability(s: Stability, limit = DEFAULT_STABILITY_LIMIT): string {
  const lines = s.figures.map((f) => `${f.key}: ${f.medians.map(formatNumber).join(' / ')} ${f.unit}  spread ${(f.spread * 100).toFixed(0)}%${f.unstable ? '  UNSTABLE' : ''}`);
  for (const key of s.partial) lines.push(`${key}: not in every file`);
  lines.push(
    s.unstable.length === 0
      ? `stable: every median within ${(limit * 100).toFixed(0)}% across the runs (${s.figures.length} figures)`
      : `${s.unstable.length} of ${s.figures.length} figures moved more than ${(limit * 100).toFixed(0)}% across the runs`,
  );
  return lines.join('\n') + '\n';
}
