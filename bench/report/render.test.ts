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
    scenarios: ['throughput', 'latency', 'event-loop', 'memory'],
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

  it('draws a chart per figure family from disk, one bar or point per figure, with no page errors', async () => {
    const file = writeReport(richResults(), join(scratch(), 'report.html'));
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(pathToFileURL(file).href);
    // These run in the page; globalThis there is the page's window (the tsconfig has no DOM types).
    await page.waitForFunction(() => (globalThis as unknown as { reportReady?: boolean }).reportReady === true, undefined, { timeout: 15_000 });
    const charts = await page.evaluate(() => (globalThis as unknown as { reportCharts: Record<string, number[]> }).reportCharts);
    expect(errors).toEqual([]);
    // Two throughput cases (noop: 3 subjects; cpu: 1), latency lines of 2 and 1 points,
    // event-loop bars for cpu and sleep, one memory bar.
    expect(charts).toEqual({ 'throughput-0': [3], 'throughput-1': [1], latency: [2, 1], 'event-loop': [1, 1], memory: [1] });
    expect(await page.locator('canvas').count()).toBe(5);
    expect(await page.locator('section#memory .skipped').textContent()).toContain('fix: set DATABASE_URL');
    await page.close();
  });
});
