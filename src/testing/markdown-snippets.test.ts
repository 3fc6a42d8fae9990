// Every README's TypeScript/JavaScript block copies a region of tested code; and the check
// itself, on a block that matches, one that drifted, and one with no marker.

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { repoReader, snippetProblems } from './markdown-snippets.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

const source = ['const a = 1;', '// #region call', 'await run(a);', '// #endregion call'].join('\n');
const read = (file: string): string => {
  if (file === 'src/example.ts') return source;
  throw new Error(`no file ${file}`);
};

describe('snippetProblems', () => {
  it('accepts a block that is its region', () => {
    expect(snippetProblems(['<!-- from: @/src/example.ts#call -->', '```ts', 'await run(a);', '```'].join('\n'), read)).toEqual([]);
  });
  it('names a block that drifted from its region', () => {
    expect(snippetProblems(['<!-- from: @/src/example.ts#call -->', '```ts', 'await run(b);', '```'].join('\n'), read)).toEqual([
      'line 2: code block differs from src/example.ts#call; copy the region again',
    ]);
  });
  it('names a block with no marker, and a marker whose region is missing', () => {
    const problems = snippetProblems(['```ts', 'x();', '```', '', '<!-- from: @/src/example.ts#gone -->', '```ts', 'y();', '```'].join('\n'), read);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^line 1: code block has no `<!-- from: @\/path#region -->` marker/);
    expect(problems[1]).toMatch(/^line 6: src\/example\.ts#gone: has no region `gone`/);
  });
  it('leaves shell and text blocks alone', () => {
    expect(snippetProblems(['```sh', 'npm test', '```'].join('\n'), read)).toEqual([]);
  });
});

describe("the repo's READMEs", () => {
  const files = execFileSync('git', ['ls-files', '*.md'], { cwd: ROOT, encoding: 'utf8' })
    .split('\n')
    .filter((file) => file !== '' && !file.startsWith('lessons/'));
  it.each(files)('%s: every code block copies a region of tested code', (file) => {
    expect(snippetProblems(readFileSync(path.join(ROOT, file), 'utf8'), repoReader(ROOT))).toEqual([]);
  });
});
