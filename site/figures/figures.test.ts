// Figures inside VitePress's own markdown renderer, read from results files written here: what
// a page shows for each syntax, that every value is escaped and labelled with its run, and that
// every unknown name fails the build naming it and the nearest that exist.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMarkdownRenderer, type MarkdownRenderer } from 'vitepress';
import { withSummary, writeResults, type BenchResults, type SummarizedMeasurement } from '../../bench/results.ts';
import { sampleResults } from '../../bench/test-fixtures.ts';
import { SiteSourceError } from '../../src/errors.ts';
import { scratchDirs } from '../../src/testing/scratch-dir.ts';
import { figures } from './index.ts';
import { loadSources, type Sources } from './sources.ts';

const scratch = scratchDirs('need-a-queue-figures-');
let md: MarkdownRenderer;
let sources: Sources;
let root: string;

const m = (scenario: string, subject: string, kase: string, metric: string, unit: string, samples: number[]): SummarizedMeasurement =>
  withSummary({ scenario, subject, case: kase, metric, unit, better: unit === 'jobs/s' ? 'higher' : 'lower', samples });

function results(date: string, profile: 'quick' | 'full', measurements: SummarizedMeasurement[]): BenchResults {
  const base = sampleResults();
  return { ...base, environment: { ...base.environment, date, profile, cpuModel: 'Test CPU <b>' }, measurements, subjects: [...new Set(measurements.map((x) => x.subject))], scenarios: [...new Set(measurements.map((x) => x.scenario))] };
}

beforeAll(async () => {
  const dir = (root = scratch());
  writeResults(
    results('2026-11-29T00:00:00.000Z', 'full', [
      m('throughput', 'task', 'noop c=50', 'jobs/s', 'jobs/s', [40_000, 41_000, 39_000]),
      m('throughput', 'promise-raw', 'noop c=50', 'jobs/s', 'jobs/s', [80_000, 80_000, 80_000]),
      m('throughput', 'task', 'sleep 5ms c=50', 'jobs/s', 'jobs/s', [8000, 8100, 7900]),
      m('throughput', 'promise-raw', 'sleep 5ms c=50', 'jobs/s', 'jobs/s', [9000, 9100, 8900]),
      m('throughput', '<img src=x onerror=alert(1)>{{ evil }}', 'noop c=50', 'jobs/s', 'jobs/s', [5]),
      m('latency', 'task', 'noop rate=100/s', 'p99 submit→done', 'ms', [1]),
      m('latency', 'task', 'noop rate=1000/s', 'p99 submit→done', 'ms', [2]),
      m('latency', 'task', 'noop rate=10000/s', 'p99 submit→done', 'ms', [300]),
      m('micro', 'otp-genserver', 'GenServer call round trip', 'µs/op', 'µs', [0.5]),
    ]),
    join(dir, 'reference-2026-11-29-full.json'),
  );
  // A newer reference run with only the micro figures: keys it has are read from it.
  writeResults(results('2026-11-30T00:00:00.000Z', 'full', [m('micro', 'otp-genserver', 'GenServer call round trip', 'µs/op', 'µs', [0.25]), m('micro', 'elixir-genserver', 'GenServer call round trip', 'µs/op', 'µs', [2.5])]), join(dir, 'reference-2026-11-30-micro.json'));
  const local = join(dir, '2026-12-01T00-00-00Z-quick.json');
  writeResults(results('2026-12-01T00:00:00.000Z', 'quick', [m('throughput', 'task', 'noop c=50', 'jobs/s', 'jobs/s', [30_000, 31_000]), m('throughput', 'promise-raw', 'noop c=50', 'jobs/s', 'jobs/s', [60_000, 60_000])]), local);
  writeFileSync(join(dir, 'notes.txt'), 'not a results file');
  sources = loadSources(dir, local);
  md = await createMarkdownRenderer(dir, { config: (it) => void it.use(figures, { root: dir, sources: () => sources }) });
}, 60_000);

/** What a build failure says: its one-line message, then its fix, as the CLI prints them. */
function failure(build: () => unknown): string {
  try {
    build();
  } catch (error) {
    if (error instanceof SiteSourceError) return `${error.message}\n${error.fix}`;
    throw error;
  }
  throw new Error('the build did not fail');
}

const render = (source: string) => md.render(source, { path: join(root, 'lessons/05-backpressure.md'), relativePath: '05-backpressure.md' });
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe(':fig and :ratio', () => {
  it.each([
    ['a figure from the reference and this machine', ':fig[throughput | task | noop c=50 | jobs/s]', '40,000 jobs/s reference · 30,500 jobs/s this machine'],
    ['a figure this machine did not measure', ':fig[throughput | task | sleep 5ms c=50 | jobs/s]', '8,000 jobs/s reference'],
    ['a figure from the newest reference run that has it', ':fig[micro | otp-genserver | GenServer call round trip | µs/op]', '0.25 µs reference'],
    ['a ratio of two medians from one run', ':ratio[throughput | task ÷ promise-raw | noop c=50 | jobs/s]', '0.50× reference · 0.51× this machine'],
    ['a ratio from the one reference run with both keys', ':ratio[micro | elixir-genserver ÷ otp-genserver | GenServer call round trip | µs/op]', '10.00× reference'],
  ])('%s', (_what, source, expected) => {
    const html = render(`Here: ${source}.`);
    expect(text(html)).toContain(`Here: ${expected} .`);
    // Each value links to the page's list of where its run was measured, and the list is there.
    expect(html).toContain('href="#where-measured"');
    expect(html).toContain('<h2 id="where-measured"');
    expect(html).toContain('Reference run (reference-');
  });

  it('lists both runs at the end of the page, escaped', () => {
    const html = render(':fig[throughput | task | noop c=50 | jobs/s]');
    const where = html.slice(html.indexOf('id="where-measured"'));
    expect(where).toContain('Reference run (reference-2026-11-29-full.json): profile full');
    expect(where).toContain('This machine (2026-12-01T00-00-00Z-quick.json): profile quick');
    expect(where).toContain('Test CPU &lt;b&gt;');
    expect(where).not.toContain('Test CPU <b>');
  });

  it('adds no list to a page without figures', () => {
    expect(render('No figures here.')).not.toContain('where-measured');
  });

  it.each([
    ['an unknown subject', ':fig[throughput | taks | noop c=50 | jobs/s]', /05-backpressure\.md: unknown figure `throughput \| taks \| noop c=50 \| jobs\/s`.*\n.*nearest: `throughput \| task \| noop c=50 \| jobs\/s`/],
    ['an unknown case', ':fig[throughput | task | noop c=5 | jobs/s]', /unknown figure `throughput \| task \| noop c=5 \| jobs\/s`/],
    ['three parts', ':fig[throughput | task | jobs/s]', /cannot read `:fig\[throughput \| task \| jobs\/s\]`.*\n.*four parts/],
    ['a ratio without ÷', ':ratio[throughput | task | noop c=50 | jobs/s]', /cannot read `:ratio\[/],
    ['a ratio with an unknown subject', ':ratio[throughput | task ÷ promise | noop c=50 | jobs/s]', /unknown ratio figure `throughput \| promise \| noop c=50 \| jobs\/s`/],
    ['a ratio across two runs', ':ratio[micro | elixir-genserver ÷ task | GenServer call round trip | µs/op]', /unknown ratio figure `micro \| task \|/],
  ])('fails the build on %s', (_what, source, message) => {
    expect(() => render(source)).toThrow(SiteSourceError);
    expect(failure(() => render(source))).toMatch(message);
  });
});

const block = (...lines: string[]) => ['```figure', ...lines, '```', ''].join('\n');

describe('```figure', () => {
  it('shows a table, reference beside this machine, and a chart with every figure', () => {
    const html = render(block('scenario: throughput', 'metric: jobs/s', 'cases: noop c=50, sleep 5ms c=50', 'subjects: task, promise-raw', 'title: Jobs a second'));
    const table = html.slice(html.indexOf('<table'), html.indexOf('</table>'));
    expect(text(table)).toContain('subject case reference this machine');
    expect(text(table)).toContain('task noop c=50 40,000 jobs/s 39,000–41,000 · n=3 30,500 jobs/s 30,000–31,000 · n=2');
    // sleep 5ms was not measured on this machine: the cell says so.
    expect(text(table)).toContain('task sleep 5ms c=50 8,000 jobs/s 7,900–8,100 · n=3 not measured');
    // The chart: one panel per case; noop has two bars per subject (reference and this machine).
    expect(html).toContain('<svg class="naq-chart-svg"');
    expect(html.match(/<g class="naq-bar">/g)).toHaveLength(6);
    expect(html).toContain('Reference run (reference-2026-11-29-full.json)');
    expect(html).toContain('v-pre');
  });

  it('escapes every name from a results file, also from Vue', () => {
    const html = render(block('scenario: throughput', 'metric: jobs/s', 'cases: noop c=50'));
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;{{ evil }}');
    // Vue does not read {{ }} inside v-pre.
    expect(html).toMatch(/<div class="naq-figure" v-pre>/);
  });

  it('draws a line per subject against the number that varies across the cases', () => {
    const html = render(block('scenario: latency', 'metric: p99 submit→done', 'chart: line'));
    expect(html.match(/<g class="naq-series">/g)).toHaveLength(1);
    expect(html.match(/<circle /g)).toHaveLength(3);
    // 1 ms to 300 ms: a log axis, so each point's value is written beside it.
    expect(text(html)).toContain('p99 submit→done (ms), log scale');
    expect(html.match(/class="naq-point-label"[^>]*>([^<]*)</g)?.map((m) => m.replace(/.*>/, '').replace(/<$/, ''))).toEqual(['1.00', '2.00', '300']);
    expect(text(html)).toContain('rate (log scale)');
  });

  it('defaults subjects and cases to what the reference has, and draws no chart with chart: none', () => {
    const html = render(block('scenario: micro', 'metric: µs/op', 'chart: none'));
    expect(text(html)).toContain('otp-genserver GenServer call round trip 0.25 µs');
    expect(text(html)).toContain('elixir-genserver GenServer call round trip 2.50 µs');
    expect(html).not.toContain('<svg class="naq-chart-svg"');
    expect(html).toContain('naq-figure-where');
  });

  it.each([
    ['an unknown option', ['scenario: throughput', 'metrc: jobs/s'], /unknown figure option `metrc`.*\n.*nearest: metric/],
    ['no scenario', ['metric: jobs/s'], /needs `scenario:`/],
    ['an unknown scenario', ['scenario: thruput', 'metric: jobs/s'], /unknown scenario `thruput` in a figure block\n.*use one of: micro, throughput, latency/],
    ['no metric', ['scenario: throughput'], /needs `metric:`.*\n.*add one of: jobs\/s/],
    ['an unknown metric', ['scenario: latency', 'metric: p99'], /unknown metric `p99`/],
    ['an unknown subject', ['scenario: throughput', 'metric: jobs/s', 'subjects: task, genserver'], /unknown subject `genserver`.*\n.*nearest: `task`/],
    ['an unknown case', ['scenario: throughput', 'metric: jobs/s', 'cases: noop c=10'], /unknown case `noop c=10`.*\n.*nearest: `noop c=50`/],
    ['an unknown chart', ['scenario: throughput', 'metric: jobs/s', 'chart: pie'], /unknown chart `pie`/],
    ['a line chart over cases with no varying number', ['scenario: throughput', 'metric: jobs/s', 'chart: line'], /`chart: line` needs cases that differ by one number/],
    ['the lab matrix with no reference run that has the lab', ['scenario: lab'], /no reference run has the failure lab\n.*need-a-queue lab --profile full/],
    ['a line that is not an option', ['scenario: throughput', 'just words'], /cannot read the figure line `just words`/],
  ])('fails the build on %s, naming the page line', (_what, lines, message) => {
    const source = `Intro.\n\n${block(...lines)}`;
    expect(() => render(source)).toThrow(SiteSourceError);
    expect(() => render(source)).toThrow(/05-backpressure\.md:3: /);
    expect(failure(() => render(source))).toMatch(message);
  });
});

describe('loadSources', () => {
  it('takes the newest results file that is not a reference run as this machine, and skips other files', () => {
    const dir = scratch();
    writeResults(results('2026-11-29T00:00:00.000Z', 'full', [m('micro', 'otp-task', 'x', 'µs/op', 'µs', [1])]), join(dir, 'reference-a.json'));
    writeResults(results('2026-12-01T00:00:00.000Z', 'quick', []), join(dir, 'older.json'));
    writeResults(results('2026-12-02T00:00:00.000Z', 'quick', []), join(dir, 'newer.json'));
    writeFileSync(join(dir, 'page.html'), '<html>');
    const loaded = loadSources(dir, undefined);
    expect(loaded.references.map((s) => s.file)).toEqual([join(dir, 'reference-a.json')]);
    expect(loaded.local?.file).toBe(join(dir, 'newer.json'));
  });

  it('fails naming a corrupt results file', () => {
    const dir = scratch();
    writeFileSync(join(dir, 'reference-bad.json'), '{"schemaVersion": 1');
    expect(() => loadSources(dir, undefined)).toThrow(/reference-bad\.json: is not JSON/);
  });
});

describe('the failure-lab matrix (scenario: lab)', () => {
  const cellOf = (subject: string, fault: string, lost: number, notes: Record<string, string | boolean>) => [
    withSummary({ scenario: 'lab', subject, case: fault, metric: 'submitted', unit: 'jobs', better: 'higher', samples: [60], notes: { setup: `${fault} setup`, reason: `${fault} <why>` } }),
    withSummary({ scenario: 'lab', subject, case: fault, metric: 'lost', unit: 'jobs', better: 'lower', samples: [lost], notes: { setup: `${fault} setup`, reason: `${fault} <why>`, ...notes } }),
  ];
  // VitePress keeps one markdown renderer per process: this block swaps the sources it reads.
  let saved: Sources;
  beforeAll(() => {
    const dir = scratch();
    const lab = results('2026-11-30T00:00:00.000Z', 'full', [
      ...cellOf('fire-and-forget', 'sigkill', 60, { expect: 'lost > 0', agrees: true }),
      ...cellOf('bullmq-redis', 'sigkill', 3, { expect: 'lost = 0', agrees: false }),
    ]);
    writeResults({ ...lab, skipped: [{ scenario: 'lab', subject: 'fire-and-forget', case: 'redis-always', reason: 'does not apply: <memory>', fix: '-' }] }, join(dir, 'reference-2026-11-30-lab.json'));
    saved = sources;
    sources = loadSources(dir, undefined);
  });
  afterAll(() => {
    sources = saved;
  });
  const renderLab = render;

  it('shows the grid and every cell beside its expectation, from the matrix module, escaped and labelled with its run', () => {
    const html = renderLab(block('scenario: lab', 'title: What each runner loses'));
    expect(html).toContain('v-pre');
    expect(text(html)).toContain('What each runner loses');
    expect(text(html)).toContain('runner sigkill redis-always fire-and-forget 60/60 lost n/a bullmq-redis 3/60 lost (!)');
    expect(text(html)).toContain('sigkill bullmq-redis 3 lost of 60 lost = 0 DISAGREES sigkill &lt;why&gt;');
    expect(html).toContain('naq-lab-disagrees');
    expect(html).not.toContain('<why>');
    expect(text(html)).toContain('Reference run (reference-2026-11-30-lab.json)');
  });

  it('narrows to the runners and faults named, and fails the build on one the run lacks', () => {
    expect(text(renderLab(block('scenario: lab', 'subjects: fire-and-forget', 'cases: sigkill')))).toContain('runner sigkill fire-and-forget 60/60 lost');
    expect(failure(() => renderLab(block('scenario: lab', 'subjects: sidekiq')))).toMatch(/unknown runner `sidekiq` in the lab figure[\s\S]*use some of: fire-and-forget, bullmq-redis/);
  });
});

describe('the verdict (scenario: verdict)', () => {
  // Costs from a full run, losses from a lab run checked in beside it: two files, one table.
  let saved: Sources;
  beforeAll(() => {
    const dir = scratch();
    writeResults(
      results('2026-11-29T00:00:00.000Z', 'full', [
        m('throughput', 'task', 'noop c=50', 'jobs/s', 'jobs/s', [40_000, 41_000, 39_000]),
        m('throughput', 'bullmq-redis', 'noop c=50', 'jobs/s', 'jobs/s', [8000, 8100, 7900]),
      ]),
      join(dir, 'reference-2026-11-29-full.json'),
    );
    writeResults(
      results('2026-11-30T00:00:00.000Z', 'full', [
        withSummary({ scenario: 'lab', subject: 'task', case: 'sigkill', metric: 'submitted', unit: 'jobs', better: 'higher', samples: [60], notes: { setup: 's', reason: 'r' } }),
        withSummary({ scenario: 'lab', subject: 'task', case: 'sigkill', metric: 'lost', unit: 'jobs', better: 'lower', samples: [50], notes: { setup: 's', reason: 'r', expect: 'lost > 0', agrees: true } }),
      ]),
      join(dir, 'reference-2026-11-30-lab.json'),
    );
    saved = sources;
    sources = loadSources(dir, undefined);
  });
  afterAll(() => {
    sources = saved;
  });

  it('shows a row per runner with its guarantees, its cost from the full run and its losses from the lab run, both runs named', () => {
    const html = render(block('scenario: verdict'));
    expect(html).toContain('v-pre');
    const t = text(html);
    expect(t).toMatch(/task memory · at-most-once · crash: process 40k/);
    expect(t).toMatch(/bullmq-redis stored · at-least-once · retries/);
    expect(t).toContain('loses jobs on sigkill');
    expect(t).toContain('Reference run (reference-2026-11-29-full.json)');
    expect(t).toContain('Reference run (reference-2026-11-30-lab.json)');
  });

  it('takes no metric, cases or subjects', () => {
    expect(failure(() => render(block('scenario: verdict', 'subjects: task')))).toMatch(/the verdict figure takes no metric, cases or subjects/);
  });
});
