// The lessons site in a real browser, built once from the lessons as they are: every page
// loads without a console error, every internal link and anchor resolves, every figure shows
// its table and chart, code is highlighted, the local search finds "supervisor", and one
// screenshot per page is saved for a person to look at. Pages are found from lessons/, so a
// lesson added later is tested without touching this file.

import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../src/testing/browser.ts';
import { scratchDirs } from '../src/testing/scratch-dir.ts';
import { buildSite } from './build.ts';
import { LESSONS_DIR, SITE_ROOT } from './paths.ts';
import { serveSite, type ServedSite } from './serve.ts';
import { findLessons } from './sidebar.ts';

const scratch = scratchDirs('need-a-queue-site-');
/** Where the screenshots go: gitignored, beside the site's sources, printed at the end. */
const SCREENSHOTS = join(SITE_ROOT, 'screenshots');

interface SitePage {
  readonly name: string;
  /** Path on the site: `/`, `/03-genserver.html`. */
  readonly path: string;
  readonly markdown: string;
}

const pages: SitePage[] = [
  { name: 'index', path: '/', markdown: readFileSync(join(LESSONS_DIR, 'index.md'), 'utf8') },
  ...findLessons(LESSONS_DIR).map((lesson) => ({ name: lesson.slug, path: `${lesson.link}.html`, markdown: readFileSync(join(LESSONS_DIR, `${lesson.slug}.md`), 'utf8') })),
];

let site: ServedSite;
let browser: Browser;

beforeAll(async () => {
  const { outDir } = await buildSite({ outDir: join(scratch(), 'dist') });
  site = await serveSite(outDir);
  browser = await launchBrowser();
  mkdirSync(SCREENSHOTS, { recursive: true });
}, 300_000);

afterAll(async () => {
  for (const opened of openPages.values()) await (await opened).close();
  await browser?.close();
  await site?.close();
  console.log(`site screenshots (one per page): ${SCREENSHOTS}`);
});

interface Opened {
  readonly page: Page;
  /** Every console error, page error and failed request since the page was opened. */
  readonly errors: string[];
  readonly close: () => Promise<void>;
}

/** Each page is opened once and shared by the tests that read it (loading is what costs). */
const openPages = new Map<string, Promise<Opened>>();

function open(path: string, colorScheme: 'light' | 'dark' = 'light'): Promise<Opened> {
  const key = `${colorScheme} ${path}`;
  let opened = openPages.get(key);
  if (opened === undefined) openPages.set(key, (opened = load(path, colorScheme)));
  return opened;
}

async function load(path: string, colorScheme: 'light' | 'dark'): Promise<Opened> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => errors.push(`page: ${error.message}`));
  page.on('requestfailed', (request) => errors.push(`request failed: ${request.url()}`));
  page.on('response', (response) => {
    if (response.status() >= 400) errors.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  await page.goto(new URL(path, site.url).href, { waitUntil: 'networkidle', timeout: 30_000 });
  return { page, errors, close: () => context.close() };
}

/** How many figure blocks a page's source has, and how many of them draw a chart. */
function figureBlocks(markdown: string): { blocks: number; charts: number; inline: number } {
  const blocks = [...markdown.matchAll(/^```figure\n([\s\S]*?)^```/gm)].map((m) => m[1] ?? '');
  return { blocks: blocks.length, charts: blocks.filter((b) => !/^\s*chart:\s*none\s*$/m.test(b) && !/^\s*scenario:\s*(lab|verdict)\s*$/m.test(b)).length, inline: (markdown.match(/:(fig|ratio)\[/g) ?? []).length };
}

describe('the lessons site', () => {
  it('has the landing page and every lesson', () => {
    expect(pages.length).toBeGreaterThan(1);
  });

  it.each(pages)('$name loads with no console error, and its screenshot is saved', async ({ name, path }) => {
    const { page, errors } = await open(path);
    await expect.poll(() => page.locator('.VPContent').count()).toBe(1);
    expect(errors).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
  }, 60_000);

  it('the landing page reads in dark mode too (screenshot)', async () => {
    const { page, errors } = await open('/', 'dark');
    expect(await page.locator('html.dark').count()).toBe(1);
    expect(errors).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, 'index-dark.png'), fullPage: true });
  }, 60_000);

  it.each(pages)('$name: every internal link and anchor resolves', async ({ path }) => {
    const { page } = await open(path);
    const here = new URL(path, site.url);
    const hrefs = await page.locator('a[href]').evaluateAll((links) => links.map((a) => (a as unknown as { href: string }).href));
    const internal = [...new Set(hrefs)].filter((href) => new URL(href).origin === here.origin);
    expect(internal.length).toBeGreaterThan(0);
    const idsOf = new Map<string, Set<string>>();
    for (const href of internal) {
      const url = new URL(href);
      const target = `${url.origin}${url.pathname}`;
      let ids = idsOf.get(target);
      if (ids === undefined) {
        const response = await fetch(target);
        expect(response.status, `${href} (linked from ${path})`).toBe(200);
        ids = new Set([...(await response.text()).matchAll(/\sid="([^"]+)"/g)].map((m) => m[1] ?? ''));
        idsOf.set(target, ids);
      }
      if (url.hash.length > 1) expect(ids.has(decodeURIComponent(url.hash.slice(1))), `anchor ${href} (linked from ${path})`).toBe(true);
    }
  }, 120_000);

  it.each(pages.filter((p) => figureBlocks(p.markdown).blocks + figureBlocks(p.markdown).inline > 0))('$name shows every figure: its table, its chart, and where each run was measured', async ({ path, markdown }) => {
    const expected = figureBlocks(markdown);
    const { page } = await open(path);
    expect(await page.locator('.naq-figure table tbody tr').count()).toBeGreaterThanOrEqual(expected.blocks);
    expect(await page.locator('.naq-figure').count()).toBe(expected.blocks);
    const charts = page.locator('.naq-figure svg.naq-chart-svg');
    expect(await charts.count()).toBe(expected.charts);
    for (const box of await charts.evaluateAll((nodes) => nodes.map((n) => (n as unknown as { getBoundingClientRect(): { height: number; width: number } }).getBoundingClientRect()))) {
      expect(box.height).toBeGreaterThan(40);
      expect(box.width).toBeGreaterThan(200);
    }
    expect(await page.locator('.naq-fig').count()).toBe(expected.inline);
    await expect.poll(() => page.locator('#where-measured').count()).toBe(1);
    expect(await page.locator('ul.naq-where li').first().textContent()).toMatch(/^Reference run \(reference-.*\): profile /);
  }, 60_000);

  it.each(pages.filter((p) => /^(<<<|```(?!figure\b)[a-z])/m.test(p.markdown)))('$name: every code block is highlighted', async ({ path }) => {
    const { page } = await open(path);
    const blocks = page.locator('.vp-doc div[class*="language-"]');
    const count = await blocks.count();
    expect(count).toBeGreaterThan(0);
    expect(await page.locator('.vp-doc div[class*="language-"] pre.shiki').count()).toBe(count);
    // Shiki colours each token of a language with an inline style; a block without one was not
    // highlighted. Plain text (a program's output) has no tokens to colour.
    const uncoloured = await page.locator('.vp-doc div[class*="language-"]:not(.language-text):not(.language-txt)').evaluateAll((nodes) => nodes.filter((n) => (n as unknown as { querySelector(s: string): unknown }).querySelector('span[style*="--shiki-light"]') === null).length);
    expect(uncoloured).toBe(0);
  }, 60_000);

  it('the local search finds "supervisor"', async () => {
    // A page of its own: typing into the search dialog changes the page the others read.
    const { page, errors, close } = await load('/', 'light');
    await page.locator('.VPNavBarSearch button').first().click();
    const input = page.locator('input.search-input, #localsearch-input');
    await input.waitFor({ timeout: 15_000 });
    await input.fill('supervisor');
    const results = page.locator('.VPLocalSearchBox .results li');
    await expect.poll(() => results.count(), { timeout: 15_000 }).toBeGreaterThan(0);
    expect((await results.allTextContents()).join(' ')).toMatch(/supervisor/i);
    expect(errors).toEqual([]);
    await close();
  }, 60_000);
});
