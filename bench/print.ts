// The results as terminal tables, one per scenario: median, min–max of the repeats, a `noisy`
// mark when the spread is past the rule in stats.ts, and a ratio measured in the same run (to
// the subject's peer, bench/peers.ts; for scale-out, to one worker process). Subjects that
// could not run are rows too, with the reason and the fix.

import { formatLab, labMatrix } from './lab/matrix.ts';
import { describeRatio, peerFor, peerRatio } from './peers.ts';
import type { BenchResults, SummarizedMeasurement } from './results.ts';
import { KEPT_UP_SHARE } from './scenarios/latency.ts';
import { NOISY_SPREAD } from './stats.ts';
import { UNBOUNDED_NOTE } from './subjects.ts';
import { formatVerdict, keptUp, verdictFor } from './verdict.ts';

// Each step starts where the one below would round up into it (0.996 is "1.00", not "1.0";
// 9.996 is "10.0", not "10.00"), so neighbouring figures read with the same digits.
export function formatNumber(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 999.5) return Math.round(value).toLocaleString('en-US');
  if (abs >= 99.95) return value.toFixed(0);
  if (abs >= 9.995) return value.toFixed(1);
  if (abs >= 0.995) return value.toFixed(2);
  return value.toPrecision(2);
}

function table(rows: readonly (readonly string[])[]): string {
  const [header] = rows;
  if (header === undefined) return '';
  const widths = header.map((_, c) => Math.max(...rows.map((r) => (r.length === header.length ? (r[c] ?? '').length : 0))));
  const line = (row: readonly string[]) => (row.length === header.length ? row.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join('  ') : row.join('  ')).trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n') + '\n';
}

const notesOf = (m: SummarizedMeasurement): Readonly<Record<string, unknown>> =>
  m.notes !== null && typeof m.notes === 'object' && !Array.isArray(m.notes) ? m.notes : {};

const num = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);

/**
 * Why a runner drains faster than the library it wraps, where the kit knows: a ratio above 1
 * with no reason beside it reads as a measuring error.
 */
function kitBeatsPeerBecause(m: SummarizedMeasurement): string | undefined {
  if (m.subject === 'bullmq-postgres') return "the kit stores a tick's submits in one transaction";
  return undefined;
}

const micros = (value: number): string => (Math.abs(value) >= 10 ? value.toFixed(0) : Math.abs(value) >= 1 ? value.toFixed(1) : value.toFixed(2));

/**
 * The comparison column, its direction written out: throughput is the subject's jobs/s ÷ its
 * peer's (bench/peers.ts: the library a user would pick instead), measured in the same rounds.
 * A runner with no concurrency limit is not compared with a peer held to 50 at a time.
 */
export function comparisonCell(m: SummarizedMeasurement, results: BenchResults): string {
  const notes = notesOf(m);
  if (typeof notes.ratioToRaw === 'number') {
    // micro: µs per operation, lower is better.
    const base = results.measurements.find((b) => b.scenario === m.scenario && b.subject === m.subject && b.case === notes.baselineOf);
    const extra = base === undefined ? '' : `${m.median >= base.median ? '+' : '−'}${micros(Math.abs(m.median - base.median))} µs/op, `;
    return `${extra}${notes.ratioToRaw.toFixed(2)}× the raw op's time (${notes.ratioToRaw >= 1 ? 'slower' : 'faster'})`;
  }
  // scale-out: jobs/s over one worker process on the same queue, higher is better.
  if (typeof notes.speedupVsOne === 'number') return `${notes.speedupVsOne.toFixed(2)}× the jobs/s of 1 process`;
  if (m.scenario !== 'throughput') return '';
  const peer = peerFor(m.subject);
  if (peer === undefined) return '';
  if (notes.note === UNBOUNDED_NOTE) return `none: it has no concurrency limit, ${peer} has the others' limit`;
  const ratio = peerRatio(results, m);
  if (ratio === undefined) {
    // A floor measured on some jobs only (p-queue-bare: noop) has nothing to divide the others by.
    if (results.measurements.some((b) => b.scenario === m.scenario && b.subject === peer)) return `(${peer} has no ${m.case} figure)`;
    return results.subjects.includes(peer) ? `(${peer} not measured: see its skip row)` : `(add ${peer} to --runners for a ratio)`;
  }
  const reason = ratio.ratio > 1 ? kitBeatsPeerBecause(m) : undefined;
  return `${describeRatio(ratio)}${reason === undefined ? '' : ` (${reason})`}`;
}

/**
 * Scenarios with several metrics per case read better wide: one row per subject and case, one
 * column per metric. `split` names the row part and the column part of a metric.
 */
const WIDE: Readonly<Record<string, (metric: string) => { readonly row: string; readonly column: string }>> = {
  // `p99 submit→done` → row `submit→done`, column `p99`.
  latency: (metric) => {
    const [column = metric, ...rest] = metric.split(' ');
    return { row: rest.join(' '), column };
  },
  // `lag p99` → column `lag p99`.
  'event-loop': (metric) => ({ row: '', column: metric }),
  memory: (metric) => ({ row: '', column: metric }),
  // `request p99` → column `p99`.
  'web-server': (metric) => ({ row: '', column: metric.replace(/^request /, '') }),
};

/** The wide tables' column for a figure divided by its peer's (memory: heap per pending job ÷ p-queue's). */
const PEER_COLUMN = 'vs peer, same run';

/** A count of things (jobs, requests): whole, with thousands separated. */
const count = (value: unknown): string | undefined => (typeof value === 'number' && Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : undefined);

/**
 * A wide row's context, read from its figures' notes, in columns after the figures: the job
 * count a lag grew from, what a memory figure does and does not count, whether a rate was kept
 * up with. A figure without these misleads (`lag 2,007 ms` from 400 jobs reads like a runner
 * property; `RSS growth 0.0 MB` reads like free when submit stopped taking jobs at 65).
 */
const CONTEXT: Readonly<Record<string, (m: SummarizedMeasurement, results: BenchResults) => readonly (readonly [string, string | undefined])[]>> = {
  // The achieved rate beside the offered one, and the mark where the runner fell behind.
  latency: (m) => {
    const achieved = count(notesOf(m).achievedPerSecond);
    if (achieved === undefined) return [];
    const unfinished = num(notesOf(m).unfinished) ?? 0;
    return [['done/s', keptUp(m) ? achieved : `${achieved} SATURATED${unfinished > 0 ? ` (${count(unfinished) ?? ''} unfinished)` : ''}`]];
  },
  'event-loop': (m) => {
    const jobs = num(notesOf(m).jobs);
    return [['jobs drained', jobs === 0 ? 'none' : count(jobs)]];
  },
  memory: (m, results) => {
    const n = notesOf(m);
    const measuredStore = results.measurements.some((x) => x.scenario === m.scenario && x.subject === m.subject && x.case === m.case && x.metric === 'store growth');
    const jobs = num(n.jobs);
    const accepted = num(n.accepted);
    const held = jobs !== undefined && accepted !== undefined && accepted < jobs;
    return [
      ['accepted', held ? `${count(accepted) ?? ''}, then submit waited` : count(accepted)],
      ['counted', countedIn(n.note, measuredStore)],
    ];
  },
  'web-server': (m, results) => {
    const n = notesOf(m);
    const idle = m.metric === 'request p99' && m.subject !== 'idle' ? results.measurements.find((x) => x.scenario === m.scenario && x.subject === 'idle' && x.metric === m.metric) : undefined;
    const unanswered = num(n.unanswered) ?? 0;
    const jobsDone = num(n.jobsDone);
    const jobs = num(n.jobs);
    const windowMs = num(n.windowMs);
    return [
      ['p99 over idle', idle === undefined ? undefined : `${m.median >= idle.median ? '+' : '−'}${formatNumber(Math.abs(m.median - idle.median))} ms`],
      ['requests', count(n.requests) === undefined ? undefined : `${count(n.requests) ?? ''} at ${count(n.ratePerSecond) ?? '?'}/s${unanswered > 0 ? `, ${count(unanswered) ?? ''} unanswered` : ''}`],
      ['jobs done', jobsDone === undefined ? undefined : jobsDone === 0 ? 'none' : `${count(jobsDone) ?? ''} in ${count(windowMs) ?? '?'} ms, batches of ${count(jobs) ?? '?'}`],
      ['jobs run on', typeof n.jobsRunOn === 'string' ? n.jobsRunOn : undefined],
    ];
  },
};

/** What a memory row counts: the submitting process's memory, and where the store's is. */
function countedIn(note: unknown, measuredStore: boolean): string | undefined {
  if (typeof note !== 'string') return undefined;
  const store = /^jobs wait in (\S+?):/.exec(note)?.[1];
  if (store !== undefined) return measuredStore ? `this process; ${store} in store growth` : `this process, not ${store}`;
  return 'this process (holds the jobs)';
}

function wideTable(ms: readonly SummarizedMeasurement[], split: (metric: string) => { row: string; column: string }, results: BenchResults): string[][] {
  const columns: string[] = [];
  const context: string[] = [];
  const rows = new Map<string, { label: string[]; cells: Map<string, string>; n: number }>();
  for (const m of ms) {
    const { row, column } = split(m.metric);
    if (!columns.includes(column)) columns.push(column);
    const key = `${m.subject}\u0000${m.case}\u0000${row}`;
    let entry = rows.get(key);
    if (entry === undefined) rows.set(key, (entry = { label: [m.subject, row === '' ? m.case : `${m.case} ${row}`], cells: new Map(), n: m.samples.length }));
    entry.cells.set(column, `${formatNumber(m.median)} ${m.unit}${m.noisy ? ' *' : ''}`);
    for (const [name, value] of CONTEXT[m.scenario]?.(m, results) ?? []) {
      if (!context.includes(name)) context.push(name);
      if (value !== undefined) entry.cells.set(name, value);
    }
    const ratio = peerRatio(results, m);
    if (ratio !== undefined) {
      if (!context.includes(PEER_COLUMN)) context.push(PEER_COLUMN);
      entry.cells.set(PEER_COLUMN, `${describeRatio(ratio)}${ratio.noisy ? ' *' : ''} (${ratio.of})`);
    }
  }
  // The context and the peer's ratio read after the figures they explain, the context in its
  // declared order (a column no row has, as in a file from before the note was kept, is left
  // out); `n` last, so a single run shows as `1`.
  const filled = context.filter((name) => [...rows.values()].some((r) => r.cells.has(name)));
  const all = [...columns, ...filled];
  return [['subject', 'case', ...all, 'n'], ...[...rows.values()].map((r) => [...r.label, ...all.map((c) => r.cells.get(c) ?? ''), String(r.n)])];
}

/** One line naming where and when the figures were measured: every table and page starts with it. */
export function describeRun(results: BenchResults): string {
  const env = results.environment;
  return (
    `profile ${env.profile} · ${env.date} · node ${env.node} · ${env.cpuModel} × ${env.cores} · ${(env.memoryBytes / 2 ** 30).toFixed(1)} GiB · ${env.os}` +
    (env.redisVersion ? ` · Redis ${env.redisVersion}` : '') +
    (env.postgresVersion ? ` · PostgreSQL ${env.postgresVersion}` : '') +
    ` · BullMQ ${env.bullmqVersion} · commit ${env.gitCommit.slice(0, 10)}`
  );
}

export interface ScenarioTable {
  /** Header first; each row has the header's length. */
  readonly rows: readonly (readonly string[])[];
  /** Subjects that could not be measured, with the reason and the fix. */
  readonly skipped: readonly string[];
}

/** A scenario's figures as rows, for the terminal table and the HTML report alike. */
export function scenarioTable(results: BenchResults, scenario: string): ScenarioTable {
  // The failure lab is a matrix of cells, not figures (bench/lab/matrix.ts); its disagreements
  // are listed under it, like the subjects that could not run.
  if (scenario === 'lab') {
    const matrix = labMatrix(results);
    const whole = results.skipped.filter((x) => x.scenario === scenario && x.case === undefined).map((s) => `${s.subject}: not measured: ${s.reason} — fix: ${s.fix}`);
    return { rows: [matrix.header, ...matrix.rows], skipped: [...whole, ...matrix.flags.map((f) => `DISAGREES: ${f}`)] };
  }
  const split = WIDE[scenario];
  const mine = results.measurements.filter((x) => x.scenario === scenario);
  const rows: string[][] = split === undefined ? [['subject', 'case', 'metric', 'median', 'min–max', 'n', 'spread', 'compared, same run']] : wideTable(mine, split, results);
  for (const m of split === undefined ? mine : []) {
    rows.push([
      m.subject,
      m.case,
      m.metric,
      `${formatNumber(m.median)} ${m.unit}`,
      `${formatNumber(m.min)}–${formatNumber(m.max)}`,
      String(m.samples.length),
      m.samples.length < 2 ? '-' : `${(m.spread * 100).toFixed(0)}%${m.noisy ? ' NOISY' : ''}`,
      comparisonCell(m, results),
    ]);
  }
  const skipped = results.skipped.filter((x) => x.scenario === scenario).map((s) => `${s.subject}: not measured: ${s.reason} — fix: ${s.fix}`);
  return { rows, skipped };
}

export const NOISY_LEGEND = `NOISY (or * after a figure): (max − min) / median > ${NOISY_SPREAD} across the repeats; do not rank on it. Wide tables show medians; n 1 is a single run, which cannot show its spread (--profile full repeats it). SATURATED: the runner finished under ${KEPT_UP_SHARE * 100}% of the offered rate or left jobs unfinished, so the row measures its backlog. On 2 cores, sub-ms tail figures are scheduler noise.`;

/** How to read the comparison column: which way each kind of figure is better. */
export const COMPARED_LEGEND =
  "compared, same run: each runner ÷ the library a user would pick instead, measured in the same rounds: p-queue running the same catalogue job (fire-and-forget, task, genserver, stage), piscina with a plain worker file (worker-pool), BullMQ without the kit (bullmq-*). Throughput is jobs/s, so above 1× is faster; memory (vs peer) is heap per pending job, so above 1× is more. The peers stand on floors: p-queue ÷ p-queue-bare (bare functions, noop only) is the catalogue's own cost, p-queue-bare ÷ promise-raw (bare promises, no library) is p-queue's. micro shows the kit op's time ÷ the bare op's, so above 1× is slower.";

export function formatResults(results: BenchResults): string {
  const parts: string[] = [`need-a-queue bench · ${describeRun(results)}`];
  if (!results.complete) parts.push('INTERRUPTED: only what finished is shown.');
  for (const scenario of results.scenarios) {
    if (scenario === 'lab') {
      parts.push(`\nlab (the failure lab: counted from a ledger; expected from each runner's traits)\n${formatLab(labMatrix(results))}`);
      continue;
    }
    const { rows, skipped } = scenarioTable(results, scenario);
    const body = rows.length > 1 ? table(rows) : '(nothing measured)\n';
    parts.push(`\n${scenario}\n${body}${skipped.map((line) => `${line}\n`).join('')}`);
  }
  parts.push(NOISY_LEGEND, COMPARED_LEGEND);
  // Last, so it is the screen a reader is left with: the answer, then the tables above behind it.
  parts.push(`\n${formatVerdict(verdictFor(results), table)}`);
  return parts.join('\n') + '\n';
}

export function printResultsTable(results: BenchResults, write: (text: string) => void = (t) => void process.stdout.write(t)): void {
  write(formatResults(results));
}
