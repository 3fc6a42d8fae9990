// The landing page's claims: the commands it tells a reader to run exist as it writes them, and
// its course outline (made from the files, site/sidebar.ts) lists every lesson page in order.
// That each figure comes from a results file is the figures plugin's to prove (site/figures).

import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findLessons } from '../site/sidebar.ts';

const lessonsDir = fileURLToPath(new URL('.', import.meta.url));
const page = readFileSync(new URL('./index.md', import.meta.url), 'utf8');
const scripts = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> }).scripts;

describe('the landing page', () => {
  it('tells the reader to run npm scripts that exist', () => {
    const shown = [...page.matchAll(/^npm (?:ci && npm )?(\w+)/gm)].map(([, name]) => name ?? '');
    expect(shown).toEqual(expect.arrayContaining(['start', 'test']));
    for (const name of shown) expect(scripts, name).toHaveProperty(name);
  });

  it('shows `need-a-queue site` with flags the command has', () => {
    const line = /^npx need-a-queue site([^#\n]*)/m.exec(page);
    expect(line).not.toBeNull();
    const flags = [...(line?.[1] ?? '').matchAll(/--[\w-]+/g)].map(([flag]) => flag);
    expect(flags.length).toBeGreaterThan(0);
    const help = spawnSync(process.execPath, [fileURLToPath(new URL('../bin/need-a-queue.js', import.meta.url)), 'site', '--help'], { encoding: 'utf8', timeout: 30_000 });
    expect(help.status).toBe(0);
    for (const flag of flags) expect(help.stdout, flag).toContain(flag);
  }, 40_000);

  it('lists every lesson page in its outline, in order', () => {
    const files = readdirSync(lessonsDir).filter((name) => /^\d\d[a-z]?-.*\.md$/.test(name)).map((name) => name.slice(0, -3));
    const outline = findLessons(lessonsDir).map((lesson) => lesson.slug);
    expect([...outline].sort()).toEqual([...files].sort());
    expect(outline.indexOf('08-bullmq-postgres')).toBeLessThan(outline.indexOf('08b-schedules-and-limits'));
    expect(outline.indexOf('08b-schedules-and-limits')).toBeLessThan(outline.indexOf('09-failure-matrix'));
    expect(page).toContain('<CourseOutline />');
  });
});
