// Builds the lessons site with VitePress, programmatically, for `npm run site`,
// `need-a-queue site` and `npm start`. Which results file the figures read from this machine
// travels to the config through the environment: VitePress loads site/.vitepress/config.mts
// as its own bundle, so a module-level setting here would not reach it.

import path from 'node:path';
import { build } from 'vitepress';
import { SiteSourceError } from '../src/errors.ts';
import { RESULTS_ENV } from './figures/sources.ts';
import { DEFAULT_OUT_DIR, SITE_ROOT } from './paths.ts';


export interface SiteBuildOptions {
  /** Where the built site goes (default site/.vitepress/dist). */
  readonly outDir?: string;
  /** This machine's results file to show beside the reference (default: the newest in bench/results/). */
  readonly results?: string;
}

export async function buildSite(options: SiteBuildOptions = {}): Promise<{ outDir: string; ms: number }> {
  const outDir = path.resolve(options.outDir ?? DEFAULT_OUT_DIR);
  const before = { results: process.env[RESULTS_ENV], nodeEnv: process.env.NODE_ENV };
  if (options.results !== undefined) process.env[RESULTS_ENV] = path.resolve(options.results);
  const t0 = performance.now();
  try {
    // VitePress sets NODE_ENV=production for its build; the caller's process gets its own back.
    await build(SITE_ROOT, { outDir });
  } catch (error) {
    throw asSiteSourceError(error) ?? error;
  } finally {
    restore(RESULTS_ENV, before.results);
    restore('NODE_ENV', before.nodeEnv);
  }
  return { outDir, ms: performance.now() - t0 };
}

function restore(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}

/**
 * A SiteSourceError thrown while VitePress renders a page comes back from the config's own
 * bundle, a copy of src/errors.ts, so `instanceof` fails; it is rebuilt here by its code, so
 * the CLI prints it as a user's mistake (exit 2) rather than a stack trace.
 */
export function asSiteSourceError(error: unknown): SiteSourceError | undefined {
  if (error === null || typeof error !== 'object') return undefined;
  // VitePress checks every link between pages and lists the dead ones before it throws this.
  const dead = /(\d+) dead link\(s\) found/.exec(error instanceof Error ? error.message : '');
  if (dead !== null) return new SiteSourceError('lessons/', `${dead[1]} link(s) point at pages that do not exist (listed above as "Found dead link")`, 'fix each link, or add the page it points at');
  // Rollup, which runs the page render, renames the code of an error it passes on (PLUGIN_ERROR)
  // and keeps the original as pluginCode.
  const e = error as { code?: unknown; pluginCode?: unknown; where?: unknown; problem?: unknown; fix?: unknown };
  if ((e.code !== 'SITE_SOURCE' && e.pluginCode !== 'SITE_SOURCE') || typeof e.where !== 'string' || typeof e.problem !== 'string' || typeof e.fix !== 'string') return undefined;
  return new SiteSourceError(e.where, e.problem, e.fix);
}
