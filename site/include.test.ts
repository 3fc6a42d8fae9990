// The strict include inside VitePress's own markdown renderer (the one the build uses): it
// takes every `<<<` line before VitePress's snippet rule, the code comes out highlighted, and
// every broken include fails naming the page line, the file and the region.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createMarkdownRenderer, type MarkdownRenderer } from 'vitepress';
import { SiteSourceError } from '../src/errors.ts';
import { scratchDirs } from '../src/testing/scratch-dir.ts';
import { languageOf, strictInclude } from './include.ts';

const scratch = scratchDirs('need-a-queue-include-');
let root: string;
let md: MarkdownRenderer;

beforeAll(async () => {
  root = scratch();
  mkdirSync(join(root, 'src'));
  writeFileSync(join(root, 'src/server.ts'), ['const hidden = 0;', '// #region call', 'export function call(x: number): number {', '  // #region inner', '  return x + 1;', '  // #endregion inner', '}', '// #endregion call'].join('\n'));
  writeFileSync(join(root, 'src/open.ts'), ['// #region fine', 'const x = 1;', '// #endregion fine', '// #region open', 'const y = 2;'].join('\n'));
  writeFileSync(join(root, 'src/twice.ts'), '// #region a\n// #endregion a\n// #region a\n// #endregion a\n');
  writeFileSync(join(root, 'src/output.txt'), 'job 1 done\n');
  writeFileSync(join(root, 'src/clean.ts'), 'export const a = 1;\n');
  md = await createMarkdownRenderer(root, { config: (it) => void it.use(strictInclude, { root }) });
}, 60_000);

const render = (source: string) => md.render(source, { relativePath: 'lessons/03-genserver.md', path: join(root, 'lessons/03-genserver.md') });

describe('strict include', () => {
  it('shows a region, nested markers stripped, highlighted as TypeScript', () => {
    const html = render('<<< @/src/server.ts#call\n');
    expect(html).toContain('language-ts');
    // Shiki colours tokens with inline styles: highlighted, not a bare <pre>.
    expect(html).toMatch(/<span style="--shiki-light:#[0-9A-Fa-f]{6}/);
    const text = html.replace(/<[^>]+>/g, '');
    expect(text).toContain('export function call(x: number): number {');
    expect(text).toContain('return x + 1;');
    expect(text).not.toContain('#region');
    expect(text).not.toContain('hidden');
  });

  it('shows a whole file as plain text for .txt, and ends a paragraph above it', () => {
    const html = render('The program prints:\n<<< @/src/output.txt\n');
    expect(html).toContain('<p>The program prints:</p>');
    expect(html).toContain('language-text');
    expect(html).toContain('job 1 done');
  });

  it('leaves a `<<<` in an indented code block alone', () => {
    expect(render('    <<< @/src/nope.ts\n')).toContain('&lt;&lt;&lt; @/src/nope.ts');
  });

  it.each([
    ['a missing region (VitePress would include the whole file)', '<<< @/src/clean.ts#gone', /03-genserver\.md:1: `<<< @\/src\/clean\.ts#gone`: @\/src\/clean\.ts has no region `gone`/],
    ['a missing file', 'text\n\n<<< @/src/missing.ts#call', /03-genserver\.md:3: `<<< @\/src\/missing\.ts#call`: no such file @\/src\/missing\.ts/],
    ['an unclosed region anywhere in the file', '<<< @/src/open.ts#fine', /@\/src\/open\.ts line 4: region `open` is never closed/],
    ['a duplicated region', '<<< @/src/twice.ts#a', /@\/src\/twice\.ts line 3: region `a` is marked twice/],
    ['a path not from the repo root', '<<< ./src/clean.ts', /cannot read the include `<<< \.\/src\/clean\.ts`/],
    ['VitePress line highlights', '<<< @/src/clean.ts{1}', /cannot read the include/],
    ['a path outside the repo', '<<< @/../etc/passwd', /points outside the repo/],
  ])('fails the build on %s', (_what, source, message) => {
    expect(() => render(source)).toThrow(SiteSourceError);
    expect(() => render(source)).toThrow(message);
  });
});

describe('languageOf', () => {
  it.each([
    ['a.ts', 'ts'], ['a.txt', 'text'], ['a.exs', 'elixir'], ['a.json', 'json'], ['a.unknown', 'text'], ['Makefile', 'text'],
  ])('%s → %s', (file, language) => {
    expect(languageOf(file)).toBe(language);
  });
});
