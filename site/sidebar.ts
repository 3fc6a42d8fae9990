// The course's sidebar, made from the files: every `lessons/NN-slug.md` (NN two digits, an
// optional letter: 08b), ordered by NN, titled by the page's first `# ` heading. A lesson
// writer adds a page by adding the file; no config names it.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SiteSourceError } from '../src/errors.ts';

export interface Lesson {
  /** `03-genserver` */
  readonly slug: string;
  /** `03`, `08b`: what the sidebar sorts and numbers by. */
  readonly number: string;
  /** The page's first heading, as written. */
  readonly title: string;
  /** The site's link to it: `/03-genserver`. */
  readonly link: string;
  /** The page's frontmatter `description:`, shown under its title in the landing page's outline. */
  readonly description?: string;
}

const LESSON_FILE = /^(\d{2})([a-z]?)-[a-z0-9-]+\.md$/;

/** The first `# ` heading of a markdown page, or undefined (frontmatter and blank lines skipped). */
export function firstHeading(markdown: string): string | undefined {
  const body = markdown.replace(/^---\n[\s\S]*?\n---\n/, '');
  const match = /^# +(.+?)\s*#*\s*$/m.exec(body);
  return match?.[1];
}

/** A one-line `description: ...` in the page's frontmatter, quotes removed. */
export function frontmatterDescription(markdown: string): string | undefined {
  const frontmatter = /^---\n([\s\S]*?)\n---\n/.exec(markdown)?.[1];
  const line = frontmatter === undefined ? undefined : /^description:\s*(.+?)\s*$/m.exec(frontmatter)?.[1];
  return line?.replace(/^(['"])(.*)\1$/, '$2');
}

/** Every lesson page in `dir`, in course order; a page without a `# Title` is a SiteSourceError. */
export function findLessons(dir: string): Lesson[] {
  const lessons: (Lesson & { order: [number, string] })[] = [];
  for (const name of readdirSync(dir)) {
    const match = LESSON_FILE.exec(name);
    if (match === null) continue;
    const text = readFileSync(join(dir, name), 'utf8');
    const title = firstHeading(text);
    if (title === undefined) throw new SiteSourceError(join(dir, name), 'has no `# Title` heading', 'start the page with `# Title`: the sidebar is titled by it');
    const slug = name.slice(0, -'.md'.length);
    const description = frontmatterDescription(text);
    lessons.push({ slug, number: `${match[1]}${match[2]}`, title, link: `/${slug}`, ...(description === undefined ? {} : { description }), order: [Number(match[1]), match[2] ?? ''] });
  }
  lessons.sort((a, b) => a.order[0] - b.order[0] || a.order[1].localeCompare(b.order[1]));
  return lessons.map(({ order: _order, ...lesson }) => lesson);
}

export interface SidebarItem {
  readonly text: string;
  readonly link: string;
}

/** The sidebar VitePress shows on every page: the lessons in order, numbered. */
export function sidebarFor(dir: string): SidebarItem[] {
  return findLessons(dir).map((lesson) => ({ text: `${lesson.number} · ${lesson.title}`, link: lesson.link }));
}
