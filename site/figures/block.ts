// The figure block: a table of figures, the reference run beside this machine's latest, and a
// chart drawn by the shared chart module (bench/charts/svg.ts):
//     ```figure
//     scenario: throughput
//     metric: jobs/s
//     cases: noop c=50, sleep 5ms c=50        (default: all the reference has)
//     subjects: task, genserver, promise-raw  (default: all the reference has)
//     chart: bar                              (bar, line or none; default bar)
//     title: Jobs a second at concurrency 50
//     ```
// A scenario with a renderer of its own (renderers.ts) gets it; the rest get the table and chart
// here. Every name is checked against the reference runs, and an unknown one fails the build
// naming it and the nearest that exist.

import { formatNumber } from '../../bench/print.ts';
import { escapeXml } from '../../bench/charts/svg.ts';
import type { SummarizedMeasurement } from '../../bench/results.ts';
import { SiteSourceError } from '../../src/errors.ts';
import { pageOf } from '../include.ts';
import type { Markdown, RenderRule } from '../markdown-types.ts';
import { figureChart } from './chart.ts';
import { nearest } from './keys.ts';
import type { FigureOptions } from './inline.ts';
import { SCENARIO_RENDERERS } from './renderers.ts';
import type { Source, Sources } from './sources.ts';
import { used, WHERE_ID } from './where.ts';

export interface BlockSpec {
  readonly scenario: string;
  readonly metric?: string;
  readonly cases?: readonly string[];
  readonly subjects?: readonly string[];
  readonly chart: 'bar' | 'line' | 'none';
  readonly title?: string;
}

const OPTIONS = ['scenario', 'metric', 'cases', 'subjects', 'chart', 'title'] as const;
const CHARTS = ['bar', 'line', 'none'] as const;

const list = (value: string) => value.split(',').map((item) => item.trim()).filter((item) => item !== '');

/** The block's `key: value` lines; an unknown option, chart or a missing scenario is an error. */
export function parseBlock(text: string, where: string): BlockSpec {
  const values = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const match = /^\s*([\w-]+)\s*:\s*(.*?)\s*$/.exec(line);
    if (match === null) throw new SiteSourceError(where, `cannot read the figure line \`${line.trim()}\``, `write one \`option: value\` per line; options: ${OPTIONS.join(', ')}`);
    const [, key = '', value = ''] = match;
    if (!(OPTIONS as readonly string[]).includes(key)) throw new SiteSourceError(where, `unknown figure option \`${key}\``, `use one of: ${OPTIONS.join(', ')} (nearest: ${nearest(key, OPTIONS, 1).join('')})`);
    if (values.has(key)) throw new SiteSourceError(where, `figure option \`${key}\` is given twice`, 'keep one');
    values.set(key, value);
  }
  const scenario = values.get('scenario');
  if (scenario === undefined || scenario === '') throw new SiteSourceError(where, 'a figure block needs `scenario:`', 'add `scenario: throughput` (or the scenario the figures come from)');
  const chart = values.get('chart') ?? 'bar';
  if (!(CHARTS as readonly string[]).includes(chart)) throw new SiteSourceError(where, `unknown chart \`${chart}\``, `use one of: ${CHARTS.join(', ')}`);
  const cases = values.get('cases');
  const subjects = values.get('subjects');
  const metric = values.get('metric');
  const title = values.get('title');
  return {
    scenario,
    chart: chart as BlockSpec['chart'],
    ...(metric === undefined ? {} : { metric }),
    ...(cases === undefined ? {} : { cases: list(cases) }),
    ...(subjects === undefined ? {} : { subjects: list(subjects) }),
    ...(title === undefined ? {} : { title }),
  };
}

export interface BlockContext {
  readonly sources: Sources;
  readonly env: unknown;
  readonly where: string;
}

/** What a metric figure shows: the run it is read from, and its subjects and cases in order. */
export interface Selection {
  readonly scenario: string;
  readonly metric: string;
  readonly reference: Source;
  readonly subjects: readonly string[];
  readonly cases: readonly string[];
}

const unique = <T>(values: readonly T[]) => [...new Set(values)];

function inScenario(source: Source, scenario: string, metric?: string): SummarizedMeasurement[] {
  return source.results.measurements.filter((m) => m.scenario === scenario && (metric === undefined || m.metric === metric));
}

/** Picks the newest reference run with every subject and case the block names, or explains which name no run has. */
export function select(spec: BlockSpec, sources: Sources, where: string): Selection {
  const all = sources.references.flatMap((s) => s.results.measurements);
  const scenarios = unique(all.map((m) => m.scenario));
  if (!scenarios.includes(spec.scenario)) throw new SiteSourceError(where, `unknown scenario \`${spec.scenario}\` in a figure block`, `use one of: ${scenarios.join(', ')}`);
  const metrics = unique(all.filter((m) => m.scenario === spec.scenario).map((m) => m.metric));
  if (spec.metric === undefined) throw new SiteSourceError(where, `the \`${spec.scenario}\` figure needs \`metric:\``, `add one of: ${metrics.join(', ')}`);
  const metric = spec.metric;
  if (!metrics.includes(metric)) throw new SiteSourceError(where, `unknown metric \`${metric}\` for scenario \`${spec.scenario}\``, `use one of: ${metrics.join(', ')} (nearest: ${nearest(metric, metrics, 1).join('')})`);
  const rows = all.filter((m) => m.scenario === spec.scenario && m.metric === metric);
  for (const [what, names, known] of [['subject', spec.subjects, unique(rows.map((m) => m.subject))], ['case', spec.cases, unique(rows.map((m) => m.case))]] as const) {
    for (const name of names ?? []) {
      if (!known.includes(name)) throw new SiteSourceError(where, `unknown ${what} \`${name}\` for \`${spec.scenario} | ${metric}\`: no reference run has it`, `use one of the nearest: ${nearest(name, known).map((k) => `\`${k}\``).join(', ')}`);
    }
  }
  const reference = sources.references.find((source) => {
    const mine = inScenario(source, spec.scenario, metric);
    return mine.length > 0 && (spec.subjects ?? []).every((s) => mine.some((m) => m.subject === s)) && (spec.cases ?? []).every((c) => mine.some((m) => m.case === c));
  });
  if (reference === undefined) throw new SiteSourceError(where, `no one reference run has every subject and case this \`${spec.scenario} | ${metric}\` figure names`, 'split it into two figures, one per reference run');
  const mine = inScenario(reference, spec.scenario, metric);
  const subjects = spec.subjects ?? unique(mine.map((m) => m.subject));
  const cases = spec.cases ?? unique(mine.filter((m) => subjects.includes(m.subject)).map((m) => m.case));
  return { scenario: spec.scenario, metric, reference, subjects, cases };
}

/** One table row: a subject and case with what each run measured for it. */
export interface FigureRow {
  readonly subject: string;
  readonly case: string;
  readonly reference?: SummarizedMeasurement;
  readonly local?: SummarizedMeasurement;
}

export function rowsOf(selection: Selection, local: Source | undefined): FigureRow[] {
  const rows: FigureRow[] = [];
  const find = (source: Source | undefined, subject: string, kase: string) => source?.results.measurements.find((m) => m.scenario === selection.scenario && m.metric === selection.metric && m.subject === subject && m.case === kase);
  for (const kase of selection.cases) {
    for (const subject of selection.subjects) {
      const reference = find(selection.reference, subject, kase);
      const mine = find(local, subject, kase);
      // A subject and case that neither run measured (e.g. `idle` under `cpu 5ms`) is no row.
      if (reference === undefined && mine === undefined) continue;
      rows.push({ subject, case: kase, ...(reference === undefined ? {} : { reference }), ...(mine === undefined ? {} : { local: mine }) });
    }
  }
  return rows;
}

function cell(m: SummarizedMeasurement | undefined): string {
  if (m === undefined) return '<td class="naq-missing">not measured</td>';
  const range = m.samples.length > 1 ? `${formatNumber(m.min)}–${formatNumber(m.max)} · n=${m.samples.length}${m.noisy ? ' · NOISY' : ''}` : 'one run';
  return `<td class="naq-num">${escapeXml(`${formatNumber(m.median)} ${m.unit}`)}<span class="naq-range">${escapeXml(range)}</span></td>`;
}

function sourceHeader(source: Source): string {
  return `<th title="${escapeXml(source.where)}"><a href="#${WHERE_ID}">${source.kind}</a></th>`;
}

function tableHtml(selection: Selection, rows: readonly FigureRow[], local: Source | undefined): string {
  const head = `<tr><th>subject</th><th>case</th>${sourceHeader(selection.reference)}${local === undefined ? '' : sourceHeader(local)}</tr>`;
  const body = rows.map((row) => `<tr><td>${escapeXml(row.subject)}</td><td>${escapeXml(row.case)}</td>${cell(row.reference)}${local === undefined ? '' : cell(row.local)}</tr>`).join('');
  return `<table class="naq-figure-table"><thead>${head}</thead><tbody>${body}</tbody></table>`;
}

/** The default block: a metric's table and chart, reference beside this machine. */
export function metricFigure(spec: BlockSpec, context: BlockContext): string {
  const selection = select(spec, context.sources, context.where);
  // This machine's column only when its run measured something in the block.
  const candidate = context.sources.local;
  const local = candidate !== undefined && rowsOf(selection, candidate).some((row) => row.local !== undefined) ? candidate : undefined;
  const rows = rowsOf(selection, local);
  used(context.env, selection.reference);
  if (local !== undefined) used(context.env, local);
  const wheres = [selection.reference, ...(local === undefined ? [] : [local])].map((s) => s.where);
  const chart = spec.chart === 'none' ? `<p class="naq-figure-where">${wheres.map((w) => `<span>${escapeXml(w)}</span>`).join('')}</p>` : figureChart(spec, selection, rows, local !== undefined, wheres, context.where);
  const title = spec.title === undefined ? '' : `<p class="naq-figure-title">${escapeXml(spec.title)}</p>`;
  return `<div class="naq-figure" v-pre>${title}${tableHtml(selection, rows, local)}${chart}</div>\n`;
}

export function figureBlocks(md: Markdown, options: FigureOptions): void {
  const fence = md.renderer.rules.fence;
  if (fence === undefined) throw new Error('figureBlocks needs markdown-it\'s fence rule');
  const rule: RenderRule = (tokens, idx, mdOptions, env, self) => {
    const token = tokens[idx];
    if (token === undefined || token.info.trim() !== 'figure') return fence(tokens, idx, mdOptions, env, self);
    const where = `${pageOf(env, options.root)}:${(token.map?.[0] ?? 0) + 1}`;
    const spec = parseBlock(token.content, where);
    const render = SCENARIO_RENDERERS[spec.scenario] ?? metricFigure;
    return render(spec, { sources: options.sources(), env, where });
  };
  md.renderer.rules.fence = rule;
}
