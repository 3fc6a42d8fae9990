// The README's excerpt of the failure lab is what bench/lab/excerpt.ts makes of the lab file the
// README links: no count in it was typed by hand, and none is left behind by a new run.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readResults } from '../results.ts';
import { labExcerpt } from './excerpt.ts';

const root = path.resolve(import.meta.dirname, '../..');

describe('the README excerpt of the failure lab', () => {
  it('matches the lab reference file the README links, cell for cell', () => {
    const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
    const linked = /\]\((bench\/results\/reference-[^)]+-lab\.json)\)/.exec(readme)?.[1];
    expect(linked, 'README links a bench/results/reference-*-lab.json').toBeDefined();
    expect(readme).toContain('```text\n' + labExcerpt(readResults(path.join(root, linked!)), linked!) + '```');
  });
});
