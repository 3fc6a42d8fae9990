// The repo is self-contained: what its pages, READMEs and comments point at is in it. A design
// note that lives elsewhere (a design document or a sibling folder beside the checkout, a "§3.2" of a document nobody
// cloning the repo has) leaves a reader with a reference they cannot follow; say in place what
// it meant instead. These checks find such references in a file's text; the test runs them over
// every file git knows.

import path from 'node:path';

export interface Problem {
  readonly file: string;
  readonly line: number;
  readonly problem: string;
}

/** What a file's references are checked against: the repo's files, by repo-relative path. */
export interface Repo {
  /** True for a file or a folder in the repo (repo-relative, `/`-separated, no trailing slash). */
  readonly has: (relative: string) => boolean;
  /** True when some file in the repo has this name (`README.md`). */
  readonly hasName: (name: string) => boolean;
  /** True for a path the repo ignores because a command writes it (`site/.vitepress/dist/`). */
  readonly isOutput: (relative: string) => boolean;
}

/** A relative path that climbs: checked to stay inside the repo once resolved from the file's folder. */
const UP_PATH = /(?:^|[\s(`'"])((?:\.\.\/)+[A-Za-z0-9_.-][^\s)`'",]*)/g;
const DOC_CITATION = /\b([A-Z][A-Z0-9_-]*\.md)\b/g;
const MD_LINK = /\]\(([^)\s]+)\)/g;
const CODE_PATH = /`((?:src|bench|lessons|site)\/[^`\s]+)`/g;
const COMMENT_PATH = /\b((?:src|bench|lessons|site)\/[A-Za-z0-9_./-]+\.(?:ts|mts|js|md|json|exs|css|txt))\b/g;
/** A checked-in reference run named by its file name alone: it must still be there (runs are replaced). */
const REFERENCE_RUN = /\b(reference-\d{4}-\d{2}-\d{2}-[a-z-]+\.(?:json|html))\b/g;
/** Placeholders and examples, not references: `<timestamp>`, `*.ts`, `NN-slug`, a user's results file. */
const EXAMPLE = /[*<>]|\bNN\b|NN-|^bench\/results\/(?!reference-)/;

const normal = (p: string) => path.posix.normalize(p).replace(/\/$/, '');

/** The problems in one file's text; `file` is repo-relative. */
export function referenceProblems(file: string, text: string, repo: Repo): Problem[] {
  const problems: Problem[] = [];
  const dir = path.posix.dirname(file);
  const isMarkdown = file.endsWith('.md');
  const isCode = /\.(ts|mts|js)$/.test(file) && !/\.test\.ts$/.test(file);
  for (const [index, line] of text.split('\n').entries()) {
    const at = (problem: string) => problems.push({ file, line: index + 1, problem });
    const isComment = isCode && /^\s*(\/\/|\*|\/\*)/.test(line);
    for (const match of line.matchAll(UP_PATH)) {
      const target = match[1] ?? '';
      if (path.posix.join(dir, target).startsWith('..')) at(`points at ${target}, outside the repo`);
    }
    const cited = [...line.matchAll(DOC_CITATION)].map((m) => m[1] ?? '');
    for (const name of cited) if (!repo.hasName(name)) at(`cites ${name}, which is not in the repo`);
    // A section sign needs the document it cites on the same line (one that is not in the repo is reported above).
    if (line.includes('§') && cited.length === 0) at('cites a section (§) of a document that is not in the repo');
    if (isMarkdown || isComment) {
      for (const match of line.matchAll(REFERENCE_RUN)) {
        const name = match[1] ?? '';
        if (!repo.hasName(name)) at(`names the reference run ${name}, which is not in bench/results`);
      }
    }
    if (isMarkdown) {
      for (const match of line.matchAll(MD_LINK)) {
        const target = match[1] ?? '';
        if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('#')) continue;
        const bare = target.replace(/[#?].*$/, '');
        // Absolute links on a lessons page are site paths: the site's root is lessons/.
        const resolved = normal(bare.startsWith('/') ? path.posix.join('lessons', bare) : path.posix.join(dir, bare));
        const candidates = [resolved, `${resolved}.md`, `${resolved.replace(/\.html$/, '')}.md`, `${resolved}/index.md`];
        if (!candidates.some((c) => repo.has(c))) at(`links to ${target}, which is not in the repo`);
      }
      for (const match of line.matchAll(CODE_PATH)) {
        const mentioned = match[1] ?? '';
        if (!EXAMPLE.test(mentioned) && !repo.has(normal(mentioned)) && !repo.isOutput(normal(mentioned))) at(`names ${mentioned}, which is not in the repo`);
      }
    }
    if (isComment) {
      for (const match of line.matchAll(COMMENT_PATH)) {
        const mentioned = match[1] ?? '';
        if (!EXAMPLE.test(mentioned) && !repo.has(normal(mentioned))) at(`a comment names ${mentioned}, which is not in the repo`);
      }
    }
  }
  return problems;
}
