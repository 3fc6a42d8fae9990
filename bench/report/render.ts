// A results file as one self-contained HTML page: where and when it was measured, a chart per
// figure family, and every figure as a table (the same rows as the terminal's). Chart.js is
// inlined from node_modules and the results JSON is embedded, so the page opens from disk,
// offline, and shows exactly the file it came from. `bench` writes one beside each results
// file; `need-a-queue report FILE` renders any file (the checked-in reference, say).
//
// Why Chart.js: a well-kept, dependency-free chart library whose UMD bundle can be inlined
// into a single file; log scales and line/bar charts are all these figures need.

import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { BenchResults } from '../results.ts';
import { NOISY_LEGEND, describeRun, scenarioTable } from '../print.ts';

const require = createRequire(import.meta.url);

/** What each scenario's chart answers, for a reader who has not read the harness. */
const EXPLAIN: Readonly<Record<string, string>> = {
  throughput: 'How many jobs a second each subject drains at concurrency 50. noop shows per-job overhead, sleep shows waiting work, cpu shows what one event loop (or more threads) can burn. Raw baselines (promise-raw, bullmq-raw-*) do the same work with no kit code.',
  latency: 'Open-loop arrivals at fixed rates, timed from each job’s intended send time, so a subject that falls behind shows its queue in the tail instead of slowing the load down. The line turns up where the subject saturates.',
  'event-loop': 'How late the main thread’s timers fire while the subject drains jobs. In-process cpu work blocks the loop for everything else in the process; threads and external workers do not.',
  memory: 'Resident memory gained with jobs accepted and not yet run: an unbounded in-process line holds them in the heap; a queue holds them in Redis or PostgreSQL.',
  micro: 'Per-operation costs from tinybench, beside the bare operation they wrap.',
  'scale-out': 'Jobs a second with 1, 2 and 4 worker processes on one queue: the way past one process, and across machines with a shared REDIS_URL / DATABASE_URL.',
};

const CHARTED = new Set(['throughput', 'latency', 'event-loop', 'memory', 'scale-out']);

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

/** JSON inside a <script> element: `</script>` and `<!--` must not appear in it. */
function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

function htmlTable(rows: readonly (readonly string[])[]): string {
  const [header, ...body] = rows;
  if (header === undefined || body.length === 0) return '<p>(nothing measured)</p>';
  const cells = (row: readonly string[], tag: string) => row.map((cell) => `<${tag}${/NOISY|\*$/.test(cell) ? ' class="noisy"' : ''}>${escapeHtml(cell)}</${tag}>`).join('');
  return `<table><thead><tr>${cells(header, 'th')}</tr></thead><tbody>${body.map((r) => `<tr>${cells(r, 'td')}</tr>`).join('')}</tbody></table>`;
}

const STYLE = `
body { font: 15px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 72rem; padding: 0 1rem; color: #222; }
h1 { font-size: 1.5rem; } h2 { margin-top: 2.5rem; border-bottom: 1px solid #ddd; }
.where { background: #f4f6fa; padding: .6rem .9rem; border-radius: 6px; }
.interrupted { color: #a00; font-weight: bold; }
.charts .chart { position: relative; margin: 1rem 0; }
table { border-collapse: collapse; font: 13px/1.4 ui-monospace, monospace; margin: 1rem 0; }
th, td { padding: .2rem .6rem; border-bottom: 1px solid #eee; text-align: left; white-space: nowrap; }
td.noisy { color: #a60; }
.skipped { color: #a00; }
`;

export function renderReport(results: BenchResults): string {
  // The UMD bundle is not in chart.js's exports map: find the package, then the file in it.
  const chartJs = readFileSync(join(dirname(require.resolve('chart.js')), 'chart.umd.min.js'), 'utf8');
  const charts = readFileSync(new URL('./charts.browser.js', import.meta.url), 'utf8');
  const sections = results.scenarios.map((scenario) => {
    const { rows, skipped } = scenarioTable(results, scenario);
    return [
      `<section id="${escapeHtml(scenario)}"><h2>${escapeHtml(scenario)}</h2>`,
      `<p>${escapeHtml(EXPLAIN[scenario] ?? '')}</p>`,
      CHARTED.has(scenario) ? `<div class="charts" id="chart-${escapeHtml(scenario)}"></div>` : '',
      htmlTable(rows),
      skipped.map((line) => `<p class="skipped">${escapeHtml(line)}</p>`).join(''),
      '</section>',
    ].join('\n');
  });
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>need-a-queue results · ${escapeHtml(results.environment.profile)} · ${escapeHtml(results.environment.date)}</title>
<style>${STYLE}</style></head>
<body>
<h1>need-a-queue: do we need background jobs in Node?</h1>
<p class="where">Measured on this machine: ${escapeHtml(describeRun(results))}. Every figure is the median of its repeats; the tables give min–max and spread.</p>
${results.complete ? '' : '<p class="interrupted">INTERRUPTED: only what finished is shown.</p>'}
${sections.join('\n')}
<p>${escapeHtml(NOISY_LEGEND)}</p>
<script type="application/json" id="results">${scriptSafeJson(results)}</script>
<script>${chartJs}</script>
<script>${charts}</script>
</body></html>
`;
}

/** `x/2026-…-quick.json` → `x/2026-…-quick.html`: the report sits beside its results file. */
export function reportFileFor(resultsFile: string): string {
  return resultsFile.replace(/\.json$/i, '') + '.html';
}

/** Writes the report for `results` to `file` and returns the path. */
export function writeReport(results: BenchResults, file: string): string {
  writeFileSync(file, renderReport(results));
  return file;
}
