// The figures a lesson's prose compares, read from the run its page shows: the newest checked-in
// reference run that has the scenario, picked as the site's figures pick it (site/figures/sources.ts).

import type { SummarizedMeasurement } from '../../bench/results.ts';
import { loadReferences } from '../../site/figures/sources.ts';

/** Every figure of the newest reference run with `scenario`, by figure key. */
export function reference(scenario: string): ReadonlyMap<string, SummarizedMeasurement> {
  const newest = loadReferences().find((source) => source.results.measurements.some((m) => m.scenario === scenario));
  if (newest === undefined) throw new Error(`no checked-in reference run has ${scenario}`);
  return newest.byKey;
}
