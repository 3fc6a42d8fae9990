// What a person watching `npm start` needs to see: which step of how many, how long it has
// run, and about how long is left. The estimate comes from the newest earlier results file of
// the same profile (its per-scenario durations); with none, no estimate is shown rather than
// a guess.

import { readdirSync } from 'node:fs';
import path from 'node:path';
import { readResults, RESULTS_DIR } from '../../bench/results.ts';
import type { Profile } from '../../bench/types.ts';

/** Seconds as `1:05`. */
export function clock(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/**
 * Per-scenario durations of the newest earlier complete run of `profile` over the same
 * subjects, if there is one: a run over two runners says nothing of one over ten.
 */
export function previousDurations(profile: Profile, subjects: readonly string[], dir = RESULTS_DIR): Readonly<Record<string, number>> | undefined {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith(`-${profile}.json`) && !n.startsWith('reference-')).sort().reverse();
  } catch {
    return undefined;
  }
  for (const name of names.slice(0, 5)) {
    try {
      const results = readResults(path.join(dir, name));
      if (results.complete && results.scenarioDurationsMs !== undefined && results.subjects.join(',') === subjects.join(',')) return results.scenarioDurationsMs;
    } catch {
      // an unreadable or older file: try the next one
    }
  }
  return undefined;
}

/**
 * The time left: the current scenario's estimate less what it has taken (never below zero),
 * plus the estimates of the ones after it. Undefined when a scenario has no estimate.
 */
export function timeLeftMs(scenarios: readonly string[], index: number, inCurrentMs: number, estimates: Readonly<Record<string, number>> | undefined): number | undefined {
  if (estimates === undefined) return undefined;
  let left = 0;
  for (const [i, name] of scenarios.entries()) {
    if (i < index) continue;
    const estimate = estimates[name];
    if (estimate === undefined) return undefined;
    left += i === index ? Math.max(0, estimate - inCurrentMs) : estimate;
  }
  return left;
}

/** `scenario 2 of 6: latency · 1:23 elapsed · about 0:40 left`. */
export function progressLine(scenarios: readonly string[], index: number, elapsedMs: number, leftMs: number | undefined): string {
  const left = leftMs === undefined ? '' : ` · about ${clock(leftMs)} left`;
  return `scenario ${index + 1} of ${scenarios.length}: ${scenarios[index] ?? ''} · ${clock(elapsedMs)} elapsed${left}`;
}
