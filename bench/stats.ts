// Summaries that hold on a noisy machine: the median of the repeats with min and max beside
// it, and a `noisy` flag when the spread is too wide to rank on.
//
// The rule: spread = (max − min) / |median|; a figure is noisy when spread > NOISY_SPREAD
// (0.25), i.e. the repeats disagree by more than a quarter of the figure itself. A single
// sample cannot show its spread, so it is never flagged (the table marks it `n=1`).

/** Above this relative spread a figure is flagged as noisy. */
export const NOISY_SPREAD = 0.25;

export interface Summary {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  /** (max − min) / |median|; 0 for one sample or a zero median. */
  readonly spread: number;
  readonly noisy: boolean;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  // Even counts average the middle two, so two repeats do not favour the lower one.
  return sorted.length % 2 === 1 ? (sorted[mid] ?? Number.NaN) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

export function summarize(samples: readonly number[], threshold = NOISY_SPREAD): Summary {
  if (samples.length === 0) return { median: Number.NaN, min: Number.NaN, max: Number.NaN, spread: 0, noisy: false };
  const mid = median(samples);
  const min = Math.min(...samples);
  const max = Math.max(...samples);
  const spread = samples.length < 2 || mid === 0 ? 0 : (max - min) / Math.abs(mid);
  return { median: mid, min, max, spread, noisy: spread > threshold };
}
