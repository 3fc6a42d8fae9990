// Which results files a page's figures came from, collected while the page renders and listed
// at its end under "Where these figures were measured", so every value on the page can be
// traced to a machine, a Node version and a date. Figures link to the list.

import type { Source } from './sources.ts';

export const WHERE_ID = 'where-measured';

interface PageState {
  naqSources?: Map<string, Source>;
}

/** Notes that a figure on this page came from `source`. */
export function used(env: unknown, source: Source): void {
  const state = env as PageState;
  (state.naqSources ??= new Map()).set(source.file, source);
}

export function usedSources(env: unknown): Source[] {
  const sources = [...((env as PageState).naqSources?.values() ?? [])];
  // Reference runs first, then this machine's.
  return sources.sort((a, b) => Number(a.kind === 'this machine') - Number(b.kind === 'this machine'));
}
