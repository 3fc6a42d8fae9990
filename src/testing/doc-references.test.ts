// Every reference in the repo's pages, READMEs and comments resolves to a file in the repo;
// and the checker itself, on examples of each kind of reference.

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { referenceProblems, type Repo } from './doc-references.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function repoOf(files: readonly string[], isOutput: (relative: string) => boolean = () => false): Repo {
  const all = new Set(files);
  for (const file of files) for (let dir = path.posix.dirname(file); dir !== '.'; dir = path.posix.dirname(dir)) all.add(dir);
  const names = new Set(files.map((f) => path.posix.basename(f)));
  return { has: (p) => all.has(p), hasName: (n) => names.has(n), isOutput };
}

const example = repoOf(['README.md', 'bench/README.md', 'bench/harness.ts', 'bench/results/reference-2026-11-30-full.json', 'src/otp/task.ts', 'lessons/01-fire-and-forget.md', 'lessons/02-task.md'], (p) => p.startsWith('site/dist'));

/** What git ignores is written by a command (a build, a screenshot folder): naming it is fine. */
function ignoredByGit(relative: string): boolean {
  try {
    execFileSync('git', ['check-ignore', '-q', '--no-index', `${relative}/`], { cwd: ROOT, stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('referenceProblems', () => {
  it.each([
    ['a design note outside the repo', 'src/a.ts', '// as PLAN.md §5 says', /cites PLAN\.md/],
    ['a section of a document outside the repo', 'src/a.ts', '// (FAULTS.md §3.2, BP7)', /cites FAULTS\.md/],
    ['a bare section sign', 'src/a.ts', '// see §3', /cites a section \(§\)/],
    ['a folder beside the checkout', 'README.md', 'See ../notes/seed/ for the post.', /points at \.\.\/notes\/seed\/, outside the repo/],
    ['a climbing path in a comment', 'src/testing/a.ts', '// the plan is in ../../../notes/plan.txt', /points at \.\.\/\.\.\/\.\.\/notes\/plan\.txt, outside the repo/],
    ['a link to a missing file', 'README.md', 'See [the harness](bench/harness.md).', /links to bench\/harness\.md/],
    ['a link to a missing lesson', 'lessons/02-task.md', 'Next: [CPU work](./06-cpu-work).', /links to \.\/06-cpu-work/],
    ['a code path in a page that is not there', 'README.md', 'Runners live in `src/runner/`.', /names src\/runner\//],
    ['a file named in a comment that is not there', 'src/a.ts', '// the timing rules are in bench/timing.ts', /a comment names bench\/timing\.ts/],
    ['a reference run that was replaced', 'bench/README.md', '`reference-2026-11-29-micro.json` holds both', /names the reference run reference-2026-11-29-micro\.json/],
  ])('finds %s', (_what, file, text, message) => {
    const problems = referenceProblems(file, text, example);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.problem).toMatch(message);
  });

  it.each([
    ['a README in the repo', 'src/a.ts', '// bench/README.md says how; see README.md §Quick start'],
    ['a link to a file', 'README.md', '[harness](bench/README.md) and [site](https://vitepress.dev/guide) and [top](#quick-start)'],
    ['a link between lessons, with an anchor', 'lessons/02-task.md', '[before](./01-fire-and-forget#the-metrics-example) and [same](/01-fire-and-forget.html)'],
    ['code paths that exist, and placeholders', 'README.md', '`src/otp/task.ts`, `bench/README.md`, `bench/results/<timestamp>-quick.json`, `bench/micro/*.ts`, `lessons/NN-slug.md`'],
    ['a user\'s results file in a comment', 'src/a.ts', '// e.g. bench/results/2026-11-28T17-30-00Z-quick.json'],
    ['a folder a command writes', 'README.md', 'The site goes to `site/dist/`.'],
    ['a reference run that is there', 'README.md', 'Its page is reference-2026-11-30-full.json beside the html.'],
    ['a path in code, not a comment', 'src/a.ts', "const file = 'bench/whatever.json';"],
    ['test fixtures naming files they create', 'src/a.test.ts', '// writes src/server.ts into a scratch folder'],
  ])('accepts %s', (_what, file, text) => {
    expect(referenceProblems(file, text, example)).toEqual([]);
  });
});

describe('this repo', () => {
  it('points at nothing outside itself: every doc citation, link and named path resolves', () => {
    const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: ROOT, encoding: 'utf8' })
      .split('\0')
      .filter((f) => f !== '');
    const repo = repoOf(files, ignoredByGit);
    const self = path.posix.relative(ROOT.replace(/\\/g, '/'), fileURLToPath(import.meta.url).replace(/\\/g, '/'));
    const checked = files.filter((f) => /\.(md|ts|mts|js|vue|css|json|exs|sh|yml|yaml)$/.test(f) && f !== 'package-lock.json' && !f.startsWith('bench/results/') && f !== self && f !== 'src/testing/doc-references.ts');
    expect(checked.length).toBeGreaterThan(50);
    const problems = checked.flatMap((file) => referenceProblems(file, readFileSync(path.join(ROOT, file), 'utf8'), repo));
    expect(problems.map((p) => `${p.file}:${p.line}: ${p.problem}`)).toEqual([]);
  });
});
