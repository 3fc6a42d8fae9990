// Finds what others add without a registry to edit: every bench/baselines/*.ts that exports
// `baselines: ThroughputBaseline[]`, and every bench/micro/*.ts that exports
// `microSuites: MicroSuite[]`. Test files and helpers without those exports are ignored.

import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { MicroSuite, ThroughputBaseline } from './types.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

async function exportsFrom<T>(folder: string, name: string, wanted: (source: string) => boolean = () => true): Promise<T[]> {
  const dir = path.join(here, folder);
  const files = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts')).sort();
  const found: T[] = [];
  for (const file of files) {
    // Only modules that declare the export are imported: a runnable script (otp-run.ts)
    // would otherwise run its benchmark on import.
    const source = readFileSync(path.join(dir, file), 'utf8');
    if (!new RegExp(`export\\s+const\\s+${name}\\b`).test(source) || !wanted(source)) continue;
    const module = (await import(pathToFileURL(path.join(dir, file)).href)) as Record<string, unknown>;
    const value = module[name];
    if (Array.isArray(value)) found.push(...(value as T[]));
  }
  return found;
}

export function findBaselines(): Promise<ThroughputBaseline[]> {
  return exportsFrom<ThroughputBaseline>('baselines', 'baselines');
}

/**
 * The baseline with this id, importing only the files that name it: the memory scenario's
 * child measures its own heap and RSS, which every other library's code would swell.
 */
export async function findBaseline(id: string): Promise<ThroughputBaseline | undefined> {
  return (await exportsFrom<ThroughputBaseline>('baselines', 'baselines', (source) => source.includes(`'${id}'`))).find((b) => b.id === id);
}

export function findMicroSuites(): Promise<MicroSuite[]> {
  return exportsFrom<MicroSuite>('micro', 'microSuites');
}
