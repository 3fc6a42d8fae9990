// The results files a page's figures come from: every checked-in reference run
// (bench/results/reference-*.json) and this machine's latest run (the newest other results
// file, or the one named by NEED_A_QUEUE_SITE_RESULTS). Each is read through bench/results.ts,
// so a corrupt or outdated file fails the build with the file named, never a page of undefined.

import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describeRun } from '../../bench/print.ts';
import { figureKey, readResults, RESULTS_DIR, type BenchResults, type SummarizedMeasurement } from '../../bench/results.ts';

export interface Source {
  readonly kind: 'reference' | 'this machine';
  readonly file: string;
  readonly results: BenchResults;
  /** Where and when it was measured, one line (the report page's and the terminal's). */
  readonly where: string;
  readonly byKey: ReadonlyMap<string, SummarizedMeasurement>;
}

export interface Sources {
  /** Newest first: a key is read from the newest reference run that has it. */
  readonly references: readonly Source[];
  readonly local?: Source;
}

/** The variable naming this machine's results file for the build (`need-a-queue site --results`). */
export const RESULTS_ENV = 'NEED_A_QUEUE_SITE_RESULTS';

const cache = new Map<string, { mtimeMs: number; source: Source }>();

function load(file: string, kind: Source['kind']): Source {
  const mtimeMs = statSync(file).mtimeMs;
  const hit = cache.get(file);
  if (hit !== undefined && hit.mtimeMs === mtimeMs && hit.source.kind === kind) return hit.source;
  const results = readResults(file);
  const where = `${kind === 'reference' ? 'Reference run' : 'This machine'} (${path.basename(file)}${results.complete ? '' : ', INTERRUPTED: only what finished'}): ${describeRun(results)}`;
  const source: Source = { kind, file, results, where, byKey: new Map(results.measurements.map((m) => [figureKey(m), m])) };
  cache.set(file, { mtimeMs, source });
  return source;
}

const isReference = (name: string) => /^reference-.*\.json$/.test(name);

/** The checked-in reference runs, newest measured first (the lessons' tests read them too). */
export function loadReferences(dir: string = RESULTS_DIR): Source[] {
  const names = existsSync(dir) ? readdirSync(dir) : [];
  return names
    .filter(isReference)
    .map((name) => load(path.join(dir, name), 'reference'))
    .sort((a, b) => b.results.environment.date.localeCompare(a.results.environment.date));
}

/** The sources for a build; `dir` and `latest` are for tests. */
export function loadSources(dir: string = RESULTS_DIR, latest: string | undefined = process.env[RESULTS_ENV]): Sources {
  const names = existsSync(dir) ? readdirSync(dir) : [];
  const references = loadReferences(dir);
  let localFile = latest === undefined || latest === '' ? undefined : path.resolve(latest);
  if (localFile === undefined) {
    // The newest run on this machine: `npm start` and `bench` write one file per run.
    const runs = names.filter((name) => name.endsWith('.json') && !isReference(name)).map((name) => path.join(dir, name));
    localFile = runs.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
  }
  return { references, ...(localFile === undefined ? {} : { local: load(localFile, 'this machine') }) };
}
