// The lessons site: VitePress over lessons/ (srcDir), with the kit's markdown-it plugins for
// strict code includes (site/include.ts) and figures from results files (site/figures/). The sidebar is made from the lesson
// files, so a new page needs no change here.

import { defineConfigWithTheme, type DefaultTheme } from 'vitepress';
import { figures } from '../figures/index.ts';
import { loadSources } from '../figures/sources.ts';
import { strictInclude } from '../include.ts';
import { LESSONS_DIR, REPO_ROOT } from '../paths.ts';
import { findLessons, sidebarFor, type Lesson } from '../sidebar.ts';

export default defineConfigWithTheme<DefaultTheme.Config & { course: readonly Lesson[] }>({
  title: 'need-a-queue',
  description: 'Do we need background jobs in Node? A course with the code its tests run and the numbers your machine measured.',
  lang: 'en',
  srcDir: LESSONS_DIR,
  // Only the pages at the top of lessons/: the folders beside them hold the code the pages
  // include and the outputs their tests write.
  srcExclude: ['*/**'],
  cleanUrls: false,
  // An icon of its own: without one the browser asks for /favicon.ico and logs the 404.
  head: [['link', { rel: 'icon', type: 'image/svg+xml', href: '/favicon.svg' }]],
  lastUpdated: false,
  markdown: {
    config(md) {
      md.use(strictInclude, { root: REPO_ROOT });
      md.use(figures, { root: REPO_ROOT, sources: () => loadSources() });
    },
  },
  themeConfig: {
    nav: [{ text: 'Course', link: '/' }],
    sidebar: [{ text: 'The course', items: sidebarFor(LESSONS_DIR) }],
    // Read by the landing page's <CourseOutline />.
    course: findLessons(LESSONS_DIR),
    search: { provider: 'local' },
    outline: { level: [2, 3] },
  },
});
