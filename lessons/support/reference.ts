// The figures a lesson's prose compares, read from the run its page shows: the newest checked-in
// reference run (by the date it was measured, as the site's figures pick it) that has the scenario.

import { readdirSync } from 'node:fs';
import path from 'node:path';
import { figureKey, readResults, RESULTS_DIR, type SummarizedMeasurement } from '../../bench/results.ts';

/** Every figure of the newest reference run with `scenario`, by figure key. */
export function reference(scenario: string): Map<string, SummarizedMeasurement> {
  const runs = readdirSync(RESULTS_DIR)
    .filter((name) => /^reference-.*\.json$/.test(name))
    .map((name) => readResults(path.join(RESULTS_DIR, name)))
    .filter((results) => results.measurements.some((m) => m.scenario === scenario))
    .sort((a, b) => b.environment.date.localeCompare(a.environment.date));
  const newest = runs[0];
  if (newest === undefined) throw new Error(`no checked-in reference run has ${scenario}`);
  return new Map(newest.measurements.map((m) => [figureKey(m), m]));
}
