// The strict code include: every line that starts with `<<<` on a lessons page is
//     <<< @/path/from/repo/root.ts#region     (or without #region: the whole file)
// and becomes a fenced code block that VitePress highlights like any other (a plain `fence`
// token, with the language from the file's extension).
//
// Why not VitePress's own `<<<`: it includes the WHOLE file when the region is missing, and
// the build still succeeds, so a renamed region silently turns a five-line snippet into a
// page of code. This rule runs before VitePress's snippet rule and takes every `<<<` line;
// a missing file, a missing, unclosed or duplicated region, or any other syntax fails the
// build with the page, the line, the file and the region named.

import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { SiteSourceError } from '../src/errors.ts';
import type { BlockRule, Markdown } from './markdown-types.ts';
import { extract, RegionError } from './regions.ts';

export interface IncludeOptions {
  /** What `@/` means: the repo root. */
  readonly root: string;
}

/** The highlighter's language for a file, by extension; anything unknown shows as plain text. */
const LANGUAGES: Readonly<Record<string, string>> = {
  '.ts': 'ts', '.mts': 'ts', '.js': 'js', '.mjs': 'js', '.json': 'json', '.sh': 'sh', '.ex': 'elixir', '.exs': 'elixir',
  '.sql': 'sql', '.md': 'md', '.yml': 'yaml', '.yaml': 'yaml', '.txt': 'text', '.vue': 'vue',
};

export function languageOf(file: string): string {
  return LANGUAGES[path.extname(file).toLowerCase()] ?? 'text';
}

const SPEC = /^@\/([^\s#{}[\]]+)(?:#([a-z0-9-]+))?$/;
const SYNTAX = 'write `<<< @/path/from/repo/root.ts#region-name` (or without `#region-name` for the whole file)';

/** Where a page is, for error messages (`lessons/03-genserver.md`): VitePress puts its path in the render env. */
export function pageOf(env: unknown, root: string): string {
  const e = (env ?? {}) as { relativePath?: unknown; path?: unknown };
  if (typeof e.path === 'string' && path.isAbsolute(e.path)) return path.relative(root, e.path);
  return typeof e.relativePath === 'string' ? e.relativePath : '(page)';
}

/** The code `<<< spec` shows, or a SiteSourceError naming the page line, the file and the region. */
export function resolveInclude(spec: string, root: string, where: string): { file: string; content: string; language: string } {
  const match = SPEC.exec(spec.trim());
  if (match === null) throw new SiteSourceError(where, `cannot read the include \`<<< ${spec.trim()}\``, SYNTAX);
  const relative = match[1] ?? '';
  const region = match[2];
  const file = path.resolve(root, relative);
  if (path.relative(root, file).startsWith('..')) throw new SiteSourceError(where, `\`<<< @/${relative}\` points outside the repo`, 'include files from the repo only: `@/` is the repo root');
  if (!existsSync(file) || !statSync(file).isFile()) {
    throw new SiteSourceError(where, `\`<<< @/${relative}${region === undefined ? '' : `#${region}`}\`: no such file @/${relative}`, 'fix the path (`@/` is the repo root), or create the file');
  }
  try {
    return { file, content: extract(readFileSync(file, 'utf8'), region), language: languageOf(file) };
  } catch (error) {
    if (!(error instanceof RegionError)) throw error;
    const fix = error.kind === 'broken' ? `fix the region markers in @/${relative}: each \`// #region name\` once, closed by \`// #endregion name\`` : `mark the region in @/${relative} with \`// #region ${region}\` … \`// #endregion ${region}\`, or fix the name on the page`;
    throw new SiteSourceError(where, `\`<<< @/${relative}${region === undefined ? '' : `#${region}`}\`: @/${relative} ${error.message}`, fix);
  }
}

export function strictInclude(md: Markdown, options: IncludeOptions): void {
  const rule: BlockRule = (state, startLine, _endLine, silent) => {
    const pos = (state.bMarks[startLine] ?? 0) + (state.tShift[startLine] ?? 0);
    const max = state.eMarks[startLine] ?? pos;
    // Four spaces of indent make a code block in markdown: a `<<<` there is shown, not included.
    if ((state.sCount[startLine] ?? 0) - state.blkIndent >= 4) return false;
    if (!state.src.startsWith('<<<', pos)) return false;
    if (silent) return true;
    const spec = state.src.slice(pos + 3, max);
    const { file, content, language } = resolveInclude(spec, options.root, `${pageOf(state.env, options.root)}:${startLine + 1}`);
    const token = state.push('fence', 'code', 0);
    token.info = language;
    token.content = content + '\n';
    token.markup = '```';
    token.map = [startLine, startLine + 1];
    // VitePress's dev server re-renders a page when a file it included changes.
    const env = state.env as { includes?: string[] };
    (env.includes ??= []).push(file);
    state.line = startLine + 1;
    return true;
  };
  // Before VitePress's own `<<<` rule where there is one (so this one sees every `<<<` line
  // first), before `fence` in a plain markdown-it. A `<<<` line also ends a paragraph, so no
  // include is ever read as prose.
  const at = hasRule(md, 'snippet') ? 'snippet' : 'fence';
  md.block.ruler.before(at, 'strict-include', rule, { alt: ['paragraph', 'reference', 'blockquote', 'list'] });
}

function hasRule(md: Markdown, name: string): boolean {
  // Ruler has no lookup by name; its rule list (__rules__) is what markdown-it plugins read for it.
  return (md.block.ruler as unknown as { __rules__: { name: string }[] }).__rules__.some((rule) => rule.name === name);
}
