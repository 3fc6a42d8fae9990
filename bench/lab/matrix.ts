// The failure lab's matrix, from a results file: one pure function, so the terminal, the
// report page and the site show the same cells from the same file.
//
// How it works: a cell is the lab's measurements for one runner and one fault (counts from the
// ledger, extras such as "process deaths"); their notes carry the cell's setup, the reason for
// its expectation, and for each checked metric the expectation and whether the measurement
// agreed. A fault that does not apply to a runner, or a cell that failed to run, is a
// `skipped` entry with that case. Nothing here measures or decides: it only reads.

import type { BenchResults, SummarizedMeasurement } from '../results.ts';

const LAB = 'lab';

export type Verdict = 'agrees' | 'DISAGREES' | 'n/a' | 'error';

export interface LabCell {
  readonly runner: string;
  readonly fault: string;
  readonly verdict: Verdict;
  /** The counts and extras, one short line. */
  readonly measured: string;
  /** What the traits predict (`lost = 0 and …`), or why the fault does not apply / the cell failed. */
  readonly expected: string;
  readonly reason: string;
  /** The fault's setup, the same for every runner. */
  readonly setup: string;
  /** This runner's settings (concurrency, bounds, lock and stall durations). */
  readonly settings: string;
  /** Metric → value, for a caller that wants one number (the site, a test). */
  readonly values: ReadonlyMap<string, number>;
}

export interface LabMatrix {
  /** Faults in the order the lab ran them; runners in the file's order. */
  readonly faults: readonly string[];
  readonly runners: readonly string[];
  readonly cells: readonly LabCell[];
  /** The detail table: header first, one row per cell. */
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
  /** One line per cell whose measurement disagrees with its expectation: the measurement wins. */
  readonly flags: readonly string[];
}

interface Notes {
  readonly setup?: string;
  readonly settings?: string;
  readonly reason?: string;
  readonly expect?: string;
  readonly agrees?: boolean;
}

function notesOf(m: SummarizedMeasurement): Notes {
  const n: unknown = m.notes;
  return n !== null && typeof n === 'object' && !Array.isArray(n) ? (n) : {};
}

const COUNT_WORDS: readonly (readonly [string, string])[] = [
  ['done once', 'done'],
  ['done more than once', 'done twice+'],
  ['failed', 'failed'],
  ['still stored', 'stored'],
  ['rejected at submit', 'refused'],
];
const COUNTS = new Set(['submitted', 'lost', ...COUNT_WORDS.map(([m]) => m)]);

function formatValue(value: number, unit: string): string {
  if (unit === 'ms') return value >= 1000 ? `${(value / 1000).toFixed(1)} s` : `${value} ms`;
  if (unit === 'jobs' || unit === 'processes' || unit === 'code') return String(value);
  return `${value.toLocaleString('en-US')} ${unit}`;
}

function measuredText(ms: readonly SummarizedMeasurement[]): string {
  const value = (metric: string) => ms.find((m) => m.metric === metric)?.median ?? 0;
  const parts = [`${value('lost')} lost of ${value('submitted')}`];
  for (const [metric, word] of COUNT_WORDS) if (value(metric) > 0) parts.push(`${value(metric)} ${word}`);
  for (const m of ms) if (!COUNTS.has(m.metric)) parts.push(`${m.metric} ${formatValue(m.median, m.unit)}`);
  return parts.join(' · ');
}

export function labMatrix(results: BenchResults): LabMatrix {
  const mine = results.measurements.filter((m) => m.scenario === LAB);
  const skipped = results.skipped.filter((s) => s.scenario === LAB && s.case !== undefined);
  const faults: string[] = [];
  const runners: string[] = [];
  const groups = new Map<string, SummarizedMeasurement[]>();
  const key = (runner: string, fault: string) => `${fault}\u0000${runner}`;
  const see = (runner: string, fault: string) => {
    if (!faults.includes(fault)) faults.push(fault);
    if (!runners.includes(runner)) runners.push(runner);
  };
  for (const m of mine) {
    see(m.subject, m.case);
    const k = key(m.subject, m.case);
    groups.set(k, [...(groups.get(k) ?? []), m]);
  }
  for (const s of skipped) see(s.subject, s.case ?? '');
  runners.sort((a, b) => results.subjects.indexOf(a) - results.subjects.indexOf(b));

  const cells: LabCell[] = [];
  for (const fault of faults) {
    for (const runner of runners) {
      const ms = groups.get(key(runner, fault));
      const skip = skipped.find((s) => s.subject === runner && s.case === fault);
      if (ms !== undefined) {
        const checked = ms.filter((m) => notesOf(m).expect !== undefined);
        const first = notesOf(ms[0]!);
        cells.push({
          runner, fault,
          verdict: checked.every((m) => notesOf(m).agrees === true) ? 'agrees' : 'DISAGREES',
          measured: measuredText(ms),
          expected: checked.map((m) => notesOf(m).expect).join(' and '),
          reason: first.reason ?? '',
          setup: first.setup ?? '',
          settings: first.settings ?? '',
          values: new Map(ms.map((m) => [m.metric, m.median])),
        });
      } else if (skip !== undefined) {
        const na = skip.reason.startsWith('does not apply');
        cells.push({ runner, fault, verdict: na ? 'n/a' : 'error', measured: '-', expected: skip.reason, reason: na ? '' : skip.fix, setup: '', settings: '', values: new Map() });
      }
    }
  }
  const flags = cells
    .filter((c) => c.verdict === 'DISAGREES')
    .map((c) => `${c.fault} × ${c.runner}: measured ${c.measured}; expected ${c.expected} (${c.reason}). The measurement wins.`);
  return {
    faults,
    runners,
    cells,
    header: ['fault', 'runner', 'settings', 'measured', 'expected', 'verdict', 'why'],
    rows: cells.map((c) => [c.fault, c.runner, c.settings, c.measured, c.expected, c.verdict, c.reason]),
    flags,
  };
}

/** A cell in a few characters, for the runner × fault grid. */
export function shortCell(cell: LabCell | undefined): string {
  if (cell === undefined) return '';
  if (cell.verdict === 'n/a') return 'n/a';
  if (cell.verdict === 'error') return 'error';
  const v = (metric: string) => cell.values.get(metric) ?? 0;
  const died = v('process died') + v('process deaths') > 0 ? 'died, ' : '';
  let text: string;
  if (v('lost') > 0) text = `${v('lost')}/${v('submitted')} lost`;
  else if (v('done more than once') > 0) text = `0 lost, ${v('done more than once')} twice`;
  else if (v('rejected at submit') > 0) text = `0 lost, ${v('rejected at submit')} refused`;
  else if (v('still stored') > 0) text = `0 lost, ${v('still stored')} stored`;
  else if (v('failed') > 0) text = `0 lost, ${v('failed')} failed`;
  else text = '0 lost';
  return `${died}${text}${cell.verdict === 'DISAGREES' ? ' (!)' : ''}`;
}

/** Runners down, faults across: header first. `(!)` marks a cell that disagrees with its expectation. */
export function labGrid(matrix: LabMatrix): string[][] {
  const find = (runner: string, fault: string) => matrix.cells.find((c) => c.runner === runner && c.fault === fault);
  return [['runner', ...matrix.faults], ...matrix.runners.map((runner) => [runner, ...matrix.faults.map((fault) => shortCell(find(runner, fault)))])];
}

/** The lab's worst loss for one runner, one line, for a summary column; undefined without lab cells. */
export function runnerLosses(matrix: LabMatrix, runner: string): string | undefined {
  const mine = matrix.cells.filter((c) => c.runner === runner && c.verdict !== 'n/a' && c.verdict !== 'error');
  if (mine.length === 0) return undefined;
  const losing = mine.filter((c) => (c.values.get('lost') ?? 0) > 0).map((c) => c.fault);
  return losing.length === 0 ? `nothing lost in ${mine.length} ${mine.length === 1 ? 'fault' : 'faults'}` : `loses jobs on ${losing.join(', ')}`;
}

function columns(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length))) ?? [];
  return rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join('  ').trimEnd()).join('\n');
}

/** The matrix for a terminal: the grid, then each cell measured beside its expectation and reason. */
export function formatLab(matrix: LabMatrix): string {
  if (matrix.cells.length === 0) return '(nothing measured)\n';
  const parts = [columns(labGrid(matrix)), ''];
  for (const fault of matrix.faults) {
    const cells = matrix.cells.filter((c) => c.fault === fault);
    parts.push(`${fault}: ${cells.find((c) => c.setup !== '')?.setup ?? ''}`);
    for (const c of cells) {
      parts.push(c.verdict === 'n/a' || c.verdict === 'error'
        ? `  ${c.runner.padEnd(16)} ${c.verdict}: ${c.expected}`
        : `  ${c.runner.padEnd(16)} ${c.measured}\n  ${''.padEnd(16)} expected ${c.expected}: ${c.verdict}, because ${c.reason} [${c.settings}]`);
    }
  }
  if (matrix.flags.length > 0) parts.push('', 'Cells that disagree with what the traits predict (the measurement wins):', ...matrix.flags.map((f) => `  ${f}`));
  return parts.join('\n') + '\n';
}
