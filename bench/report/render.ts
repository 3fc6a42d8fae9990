// A results file as one self-contained HTML page: where and when it was measured, a short
// summary first (the verdict: what each runner guarantees and costs), a table of contents, a
// chart per figure family and every figure as a table (the same rows as the terminal's). The
// charts are SVG drawn here by the shared chart module (bench/charts/), the one the lessons
// site draws with, so the page needs no script and opens from disk, offline. `bench` writes one
// beside each results file; `need-a-queue report FILE` renders any file (the reference, say).

import { readFileSync, writeFileSync } from 'node:fs';
import { escapeXml as escapeHtml } from '../charts/svg.ts';
import { NOISY_LEGEND, describeRun, scenarioTable } from '../print.ts';
import type { BenchResults } from '../results.ts';
import { verdictFor, verdictLegend, verdictTable } from '../verdict.ts';
import { scenarioCharts } from './charts.ts';

/** What each scenario's chart answers, for a reader who has not read the harness. */
const EXPLAIN: Readonly<Record<string, string>> = {
  throughput: 'How many jobs a second each subject drains. noop shows per-job overhead, sleep shows waiting work, cpu shows what one event loop (or more threads) can burn. Each runner’s peer does the same work with no kit code, the library a user would pick instead: p-queue for the in-process runners, piscina for worker-pool, BullMQ alone (bullmq-raw-*) for the queues. Under p-queue stand its floors: p-queue-bare (bare functions, no catalogue) and promise-raw (bare promises, no library).',
  latency: 'Open-loop arrivals at fixed rates, timed from each job’s intended send time, so a subject that falls behind shows its queue in the tail instead of slowing the load down. The line turns up where the subject saturates.',
  'event-loop': 'How late the main thread’s timers fire while the subject drains a batch of jobs (the jobs drained column): on the loop, the lag grows with the batch, so compare rows of the same count. In-process cpu work blocks the loop for everything else in the process. A worker thread does not; a BullMQ Worker created in this process runs its jobs on this same loop, so it blocks it too (run workers as their own processes to free it).',
  'web-server': 'Will our API slow down? A node:http server in the bench process answers requests sent at a fixed rate from another thread, timed from each request’s intended send time, while each runner works through batches of cpu jobs, then of sleep jobs. The idle row is the same server with no jobs. Where the jobs run decides it: in-process runners, and a BullMQ Worker created in the server’s process, run them on the server’s event loop, so a batch of cpu jobs holds every request up for the batch; the worker pool runs them on threads. Each row gives the requests and jobs behind its figures.',
  memory: 'Memory of the submitting process with jobs accepted and not yet run: an unbounded in-process line holds them in its heap. A queue holds them in Redis or PostgreSQL: the process rows are only the client’s share, and store growth is what that server gained holding them (Redis used_memory; PostgreSQL, the size of its tables and indexes). A runner whose submit waited (stage’s bounded line) took only the jobs the accepted column gives, so its figure is for those, and the producer was held instead.',
  micro: 'Per-operation costs from tinybench, beside the bare operation they wrap.',
  'scale-out': 'Jobs a second with 1, 2 and 4 worker processes on one queue: the way past one process, and across machines with a shared REDIS_URL / DATABASE_URL.',
  lab: 'The failure lab: each fault against each runner, the process under test a real child process. Every count comes from a ledger outside the runner (each job is done once, done more than once, failed, still stored, lost or refused at submit), beside what the runner’s declared traits predict and why. A DISAGREES row is a place where the measurement and the prediction part: the measurement wins.',
};

const TITLES: Readonly<Record<string, string>> = {
  throughput: 'Throughput',
  latency: 'Latency under a fixed rate',
  'event-loop': 'Event-loop lag',
  'web-server': 'A web server beside the jobs',
  memory: 'Memory held by pending jobs',
  micro: 'Micro costs',
  'scale-out': 'Scale-out over worker processes',
};

function htmlTable(rows: readonly (readonly string[])[]): string {
  const [header, ...body] = rows;
  if (header === undefined || body.length === 0) return '<p>(nothing measured)</p>';
  const cells = (row: readonly string[], tag: string) => row.map((cell) => `<${tag}${/NOISY|\*$/.test(cell) ? ' class="noisy"' : ''}>${escapeHtml(cell)}</${tag}>`).join('');
  return `<table><thead><tr>${cells(header, 'th')}</tr></thead><tbody>${body.map((r) => `<tr>${cells(r, 'td')}</tr>`).join('')}</tbody></table>`;
}

/** The verdict first: one row per runner, so the page answers the question before its details. */
function summary(results: BenchResults): string {
  const verdict = verdictFor(results);
  if (verdict.rows.length === 0) return '';
  return [
    '<section id="summary"><h2>Summary: what each runner guarantees, and what it costs here</h2>',
    verdict.readings.length === 0 ? '' : `<ul class="readings">${verdict.readings.map((r) => `<li>${escapeHtml(r)}</li>`).join('')}</ul>`,
    htmlTable(verdictTable(verdict)),
    `<ul class="legend">${verdictLegend(verdict).map((line) => `<li>${escapeHtml(line)}</li>`).join('')}</ul>`,
    '</section>',
  ].join('\n');
}

const STYLE = `
:root { color-scheme: light dark; --naq-chart-bg: #fff; }
body { font: 15px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 72rem; padding: 0 1rem; color: #222; background: #fff; }
h1 { font-size: 1.5rem; } h2 { margin-top: 2.5rem; border-bottom: 1px solid #ddd; }
.naq-chart { max-width: 46rem; }
.where { background: #f4f6fa; padding: .6rem .9rem; border-radius: 6px; }
.interrupted { color: #a00; font-weight: bold; }
nav.toc ol { columns: 2; padding-left: 1.2rem; }
table { border-collapse: collapse; font: 13px/1.4 ui-monospace, monospace; margin: 1rem 0; display: block; overflow-x: auto; }
th, td { padding: .2rem .6rem; border-bottom: 1px solid rgba(128,128,128,.25); text-align: left; white-space: nowrap; }
td.noisy { color: #a60; }
.skipped { color: #a00; }
.legend { font-size: 13px; color: #555; }
a { color: #3451b2; }
@media (prefers-color-scheme: dark) {
  :root { --naq-chart-bg: #1b1b1f; }
  body { color: #dfdfd6; background: #1b1b1f; }
  h2 { border-color: #333; } .where { background: #26262c; } .legend { color: #aaa; }
  td.noisy { color: #e0a040; } .skipped, .interrupted { color: #ff7b72; } a { color: #a8b1ff; }
}
`;

export function renderReport(results: BenchResults): string {
  const chartCss = readFileSync(new URL('../charts/charts.css', import.meta.url), 'utf8');
  const sections = results.scenarios.map((scenario) => {
    const { rows, skipped } = scenarioTable(results, scenario);
    return [
      `<section id="${escapeHtml(scenario)}"><h2>${escapeHtml(TITLES[scenario] ?? scenario)}</h2>`,
      `<p>${escapeHtml(EXPLAIN[scenario] ?? '')}</p>`,
      scenarioCharts(results, scenario),
      htmlTable(rows),
      skipped.map((line) => `<p class="skipped">${escapeHtml(line)}</p>`).join(''),
      '</section>',
    ].join('\n');
  });
  const top = summary(results);
  const toc = [...(top === '' ? [] : [['summary', 'Summary']]), ...results.scenarios.map((s) => [s, TITLES[s] ?? s])];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>need-a-queue results · ${escapeHtml(results.environment.profile)} · ${escapeHtml(results.environment.date)}</title>
<style>${STYLE}${chartCss}</style></head>
<body>
<h1>need-a-queue: do we need background jobs in Node?</h1>
<p class="where">Measured on this machine: ${escapeHtml(describeRun(results))}. Every figure is the median of its repeats; the tables give min–max and spread.</p>
${results.complete ? '' : '<p class="interrupted">INTERRUPTED: only what finished is shown.</p>'}
<nav class="toc"><strong>On this page</strong><ol>${toc.map(([id = '', title = '']) => `<li><a href="#${escapeHtml(id)}">${escapeHtml(title)}</a></li>`).join('')}</ol></nav>
${top}
${sections.join('\n')}
<p>${escapeHtml(NOISY_LEGEND)}</p>
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
