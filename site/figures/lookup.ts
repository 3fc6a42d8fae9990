// Finding a page's figures in the results files: a key is read from the newest reference run
// that has it, and from this machine's latest run when that has it too. An unknown key fails
// the build naming it and the nearest keys the reference runs do have.

import type { SummarizedMeasurement } from '../../bench/results.ts';
import { SiteSourceError } from '../../src/errors.ts';
import { keyOf, nearest, pageKey, type FigureKey } from './keys.ts';
import type { Source, Sources } from './sources.ts';

export interface Found {
  readonly source: Source;
  readonly measurement: SummarizedMeasurement;
}

export interface FoundFigure {
  readonly reference: Found;
  readonly local?: Found;
}

/** Every key the reference runs have, as pages write them. */
export function knownKeys(sources: Sources): string[] {
  return sources.references.flatMap((source) => [...source.byKey.values()].map((m) => pageKey(m)));
}

export function unknownKey(sources: Sources, key: string, where: string, what = 'figure'): SiteSourceError {
  const files = sources.references.map((s) => s.file.replace(/^.*\/bench\//, 'bench/')).join(', ') || 'none: no bench/results/reference-*.json';
  return new SiteSourceError(where, `unknown ${what} \`${key}\`: no reference run has it (read ${files})`, `use a key the reference has; the nearest: ${nearest(key, knownKeys(sources)).map((k) => `\`${k}\``).join(', ')}`);
}

/** The newest reference run with every one of `keys`, or undefined. */
export function referenceWithAll(sources: Sources, keys: readonly FigureKey[]): Source | undefined {
  return sources.references.find((source) => keys.every((key) => source.byKey.has(keyOf(key))));
}

export function findFigure(sources: Sources, key: FigureKey, where: string): FoundFigure {
  const source = referenceWithAll(sources, [key]);
  const measurement = source?.byKey.get(keyOf(key));
  if (source === undefined || measurement === undefined) throw unknownKey(sources, pageKey(key), where);
  const local = sources.local?.byKey.get(keyOf(key));
  return { reference: { source, measurement }, ...(local === undefined || sources.local === undefined ? {} : { local: { source: sources.local, measurement: local } }) };
}
