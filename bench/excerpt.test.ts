// The README's excerpt of the reference results is what bench/excerpt.ts makes of the file
// the README links: no figure in it was typed by hand, and none is left behind by a new run.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { referenceExcerpt } from './excerpt.ts';
import { readResults } from './results.ts';

const root = path.resolve(import.meta.dirname, '..');

describe('the README excerpt of the reference results', () => {
  it('matches the reference file the README links, figure for figure', () => {
    const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
    const linked = /\]\((bench\/results\/reference-[^)]+-full\.json)\)/.exec(readme)?.[1];
    expect(linked, 'README links a bench/results/reference-*-full.json').toBeDefined();
    // A scale-out run measured apart, when the README links one.
    const scaleOut = /\]\((bench\/results\/reference-[^)]+-scale-out\.json)\)/.exec(readme)?.[1];
    // readResults validates each file against the schema on the way.
    const full = readResults(path.join(root, linked!));
    expect(readme).toContain('```text\n' + referenceExcerpt(full, scaleOut === undefined ? full : readResults(path.join(root, scaleOut))) + '```');
  });
});
