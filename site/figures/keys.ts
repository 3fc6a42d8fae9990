// Figure keys as pages write them, `scenario | subject | case | metric`, and the nearest known
// keys for an unknown one, so a typo fails the build with the fix in the message.

import { figureKey, type SummarizedMeasurement } from '../../bench/results.ts';

export interface FigureKey {
  readonly scenario: string;
  readonly subject: string;
  readonly case: string;
  readonly metric: string;
}

/** `throughput | task | noop c=50 | jobs/s` → its parts; undefined unless there are four. */
export function parseKey(text: string): FigureKey | undefined {
  const parts = text.split('|').map((part) => part.trim());
  if (parts.length !== 4 || parts.some((part) => part === '')) return undefined;
  const [scenario = '', subject = '', kase = '', metric = ''] = parts;
  return { scenario, subject, case: kase, metric };
}

/** The key as bench/results.ts's figureKey writes it. */
export const keyOf = (key: FigureKey): string => figureKey(key as SummarizedMeasurement);

/** The key as a page writes it. */
export const pageKey = (key: FigureKey): string => [key.scenario, key.subject, key.case, key.metric].join(' | ');

/** Edit distance: how many characters to insert, delete or change to turn `a` into `b`. */
export function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** The `count` known values nearest to `wanted`, nearest first. */
export function nearest(wanted: string, known: Iterable<string>, count = 3): string[] {
  return [...new Set(known)]
    .map((value) => ({ value, d: distance(wanted.toLowerCase(), value.toLowerCase()) }))
    .sort((a, b) => a.d - b.d || a.value.localeCompare(b.value))
    .slice(0, count)
    .map((entry) => entry.value);
}
