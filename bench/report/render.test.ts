// The report page in a real browser: it opens from disk, draws a chart for every figure
// family the results hold, with one bar or point per measured figure, and raises no errors.

import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../../src/testing/browser.ts';
import { withSummary, type BenchResults } from '../results.ts';
import { sampleResults } from '../test-fixtures.ts';
import { renderReport, writeReport } from './render.ts';
import { scratchDirs } from '../../src/testing/scratch-dir.ts';

const scratch = scratchDirs('need-a-queue-report-');

function richResults(): BenchResults {
  const base = sampleResults();
  const m = (scenario: string, subject: string, kase: string, metric: string, unit: string, samples: number[]) =>
    withSummary({ scenario, subject, case: kase, metric, unit, better: unit === 'jobs/s' ? 'higher' : 'lower', samples });
  return {
    ...base,
    scenarios: ['throughput', 'latency', 'event-loop', 'web-server', 'memory'],
    subjects: ['task', 'bullmq-redis', 'promise-raw'],
    measurements: [
      m('throughput', 'task', 'noop c=50', 'jobs/s', 'jobs/s', [40_000, 41_000, 39_000]),
      m('throughput', 'bullmq-redis', 'noop c=50', 'jobs/s', 'jobs/s', [3000, 2000, 4000]),
      m('throughput', 'promise-raw', 'noop c=50', 'jobs/s', 'jobs/s', [9e6, 9e6, 9e6]),
      m('throughput', 'task', 'cpu 2ms c=50', 'jobs/s', 'jobs/s', [490, 495, 480]),
      m('latency', 'task', 'noop rate=200/s', 'p99 submit→done', 'ms', [1.2]),
      m('latency', 'task', 'noop rate=1000/s', 'p99 submit→done', 'ms', [1.5]),
      m('latency', 'bullmq-redis', 'noop rate=200/s', 'p99 submit→done', 'ms', [4]),
      m('event-loop', 'task', 'cpu 5ms', 'lag p99', 'ms', [300, 302]),
      m('event-loop', 'task', 'sleep 5ms', 'lag p99', 'ms', [1, 2]),
      m('web-server', 'idle', 'no jobs', 'request p99', 'ms', [2]),
      m('web-server', 'task', 'cpu 5ms', 'request p99', 'ms', [252]),
      m('web-server', 'task', 'sleep 5ms', 'request p99', 'ms', [5]),
      m('web-server', 'bullmq-redis', 'cpu 5ms', 'request p99', 'ms', [260]),
      m('memory', 'task', '5000 pending', 'RSS growth', 'MB', [30]),
    ],
    skipped: [{ scenario: 'memory', subject: 'bullmq-postgres', reason: 'no <PostgreSQL>', fix: 'set DATABASE_URL' }],
  };
}

describe('results report page', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  it('says where and when the figures were measured, and escapes what it prints', () => {
    const html = renderReport(richResults());
    expect(html).toContain('Measured on this machine: profile quick');
    expect(html).toContain('node v');
    expect(html).toContain('no &lt;PostgreSQL&gt;');
    expect(html).not.toContain('no <PostgreSQL>');
  });

  it('starts with the verdict and a table of contents linking every section', () => {
    const html = renderReport(richResults());
    const summary = html.indexOf('<section id="summary">');
    expect(summary).toBeGreaterThan(0);
    expect(summary).toBeLessThan(html.indexOf('<section id="throughput">'));
    const toc = html.slice(html.indexOf('<nav class="toc">'), html.indexOf('</nav>'));
    for (const id of ['summary', 'throughput', 'latency', 'event-loop', 'web-server', 'memory']) {
      expect(toc).toContain(`href="#${id}"`);
      expect(html).toContain(`<section id="${id}">`);
    }
  });

  it('draws its charts without a script: a bar or point per figure, one panel per case', () => {
    const html = renderReport(richResults());
    expect(html).not.toContain('<script');
    const section = (id: string) => html.slice(html.indexOf(`<section id="${id}">`), html.indexOf('</section>', html.indexOf(`<section id="${id}">`)));
    // Throughput: two cases, two panels; noop has 3 subjects, cpu 1.
    expect(section('throughput').match(/<g class="naq-bar">/g)).toHaveLength(4);
    // Latency: a line per subject with a point per rate.
    expect(section('latency').match(/<g class="naq-series">/g)).toHaveLength(2);
    expect(section('latency').match(/<circle /g)).toHaveLength(3);
    expect(section('event-loop').match(/<g class="naq-bar">/g)).toHaveLength(2);
    expect(section('memory').match(/<g class="naq-bar">/g)).toHaveLength(1);
    // Web server: the idle bar heads each case's panel, so cpu has 3 bars and sleep 2.
    expect(section('web-server').match(/<g class="naq-bar">/g)).toHaveLength(5);
  });

  it('opens from disk in a real browser with no errors, every chart drawn', async () => {
    const file = writeReport(richResults(), join(scratch(), 'report.html'));
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    await page.goto(pathToFileURL(file).href);
    expect(errors).toEqual([]);
    expect(await page.locator('svg.naq-chart-svg').count()).toBe(5);
    // Drawn with a size: an SVG that failed to lay out would be 0 high.
    const heights = await page.locator('svg.naq-chart-svg').evaluateAll((nodes) => nodes.map((n) => (n as unknown as { getBoundingClientRect(): { height: number } }).getBoundingClientRect().height));
    expect(heights.every((h) => h > 50)).toBe(true);
    expect(await page.locator('section#memory .skipped').textContent()).toContain('fix: set DATABASE_URL');
    await page.close();
  });
});
