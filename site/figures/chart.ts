// A figure block's chart, from its table rows, drawn by the shared chart module: bars (one
// panel per case, a bar per subject and run) or lines (x read from the one number that varies
// across the cases, like `rate=1000/s` or `workers=4`, one line per subject and remaining case).

import { barChart, lineChart, type Bar, type LegendItem, type LineSeries } from '../../bench/charts/svg.ts';
import { styleOf } from '../../bench/charts/colors.ts';
import { formatNumber } from '../../bench/print.ts';
import type { SummarizedMeasurement } from '../../bench/results.ts';
import { SiteSourceError } from '../../src/errors.ts';
import type { BlockSpec, FigureRow, Selection } from './block.ts';

const RAW = /(^|-)raw(-|$)/;

/** The value axis's title: `jobs/s`, or `lag p99 (ms)` when the metric is not its unit. */
export function axisTitle(metric: string, unit: string): string {
  return metric === unit ? unit : `${metric} (${unit})`;
}

function bar(m: SummarizedMeasurement, subject: string, run: string, faded: boolean): Bar {
  const style = styleOf(subject);
  const range = m.samples.length > 1 ? `, min ${formatNumber(m.min)}, max ${formatNumber(m.max)}, n=${m.samples.length}` : ', one run';
  return {
    value: m.median,
    ...(m.samples.length > 1 ? { min: m.min, max: m.max } : {}),
    color: style.color,
    hatched: style.hatched,
    faded,
    valueLabel: `${formatNumber(m.median)} ${m.unit}`,
    tooltip: `${subject}, ${m.case}, ${run}: ${formatNumber(m.median)} ${m.unit}${range}`,
  };
}

function legendFor(subjects: readonly string[], hasLocal: boolean): LegendItem[] {
  const items: LegendItem[] = [];
  if (hasLocal) items.push({ label: 'reference run', color: '#8a8f98' }, { label: 'this machine', color: '#8a8f98', faded: true });
  if (subjects.some((s) => RAW.test(s))) items.push({ label: 'hatched: the library without the kit (raw baseline)', color: '#8a8f98', hatched: true });
  return items;
}

/** `noop rate=1000/s` → the numbers named in a case: `{ rate: 1000 }`. */
export function caseNumbers(kase: string): Map<string, number> {
  return new Map([...kase.matchAll(/([A-Za-z]+)=(\d+(?:\.\d+)?)/g)].map((m) => [m[1] ?? '', Number(m[2])]));
}

export function figureChart(spec: BlockSpec, selection: Selection, rows: readonly FigureRow[], hasLocal: boolean, caption: readonly string[], where: string): string {
  const unit = rows.find((r) => r.reference !== undefined)?.reference?.unit ?? rows[0]?.local?.unit ?? '';
  // The block shows its own title above the table; the chart repeats it only when there is none.
  const title = spec.title === undefined ? `${selection.scenario}: ${axisTitle(selection.metric, unit)}` : '';
  if (spec.chart === 'line') return lines(title, selection, rows, hasLocal, caption, unit, where);
  const panels = selection.cases.map((kase) => ({
    title: selection.cases.length > 1 ? kase : '',
    rows: rows
      .filter((row) => row.case === kase)
      .map((row) => ({
        label: row.subject,
        bars: [
          ...(row.reference === undefined ? [] : [bar(row.reference, row.subject, 'reference run', false)]),
          ...(row.local === undefined ? [] : [bar(row.local, row.subject, 'this machine', true)]),
        ],
      })),
  }));
  return barChart({ title, axis: axisTitle(selection.metric, unit), panels, legend: legendFor(selection.subjects, hasLocal), caption });
}

function lines(title: string, selection: Selection, rows: readonly FigureRow[], hasLocal: boolean, caption: readonly string[], unit: string, where: string): string {
  // x is the number that differs between the cases; what is left of the case names the line.
  const numbers = selection.cases.map(caseNumbers);
  const names = [...new Set(numbers.flatMap((n) => [...n.keys()]))];
  const xName = names.find((name) => new Set(numbers.map((n) => n.get(name))).size > 1 && numbers.every((n) => n.has(name)));
  if (xName === undefined) throw new SiteSourceError(where, '`chart: line` needs cases that differ by one number, like `rate=100/s` and `rate=1000/s`', 'use `chart: bar` for these cases');
  const rest = (kase: string) => kase.replace(new RegExp(`\\s*\\b${xName}=\\d+(?:\\.\\d+)?\\S*`), '').trim();
  const groups = new Map<string, { subject: string; rest: string; local: boolean; points: LineSeries['points'][number][] }>();
  const rests = new Set(rows.map((row) => rest(row.case)));
  for (const row of rows) {
    const x = caseNumbers(row.case).get(xName) ?? 0;
    for (const [m, local] of [[row.reference, false], [row.local, true]] as const) {
      if (m === undefined) continue;
      const label = `${row.subject}${rests.size > 1 ? ` · ${rest(row.case)}` : ''}${local ? ' (this machine)' : ''}`;
      const group = groups.get(label) ?? { subject: row.subject, rest: rest(row.case), local, points: [] };
      group.points.push({ x, y: m.median, ...(m.samples.length > 1 ? { min: m.min, max: m.max } : {}), tooltip: `${row.subject}, ${row.case}${local ? ', this machine' : ', reference run'}: ${formatNumber(m.median)} ${m.unit}` });
      groups.set(label, group);
    }
  }
  const palette = ['#4269d0', '#dc3d2a', '#1f8a94', '#d99a0b', '#8c6bdf', '#3ca951', '#e0569b', '#8a8f98'];
  const lineKeys = [...new Set([...groups.values()].map((g) => `${g.subject} · ${g.rest}`))];
  const series: LineSeries[] = [...groups.entries()].map(([label, group]) => {
    // Several lines per subject (c=10 and c=2): colour by line, not by subject, so each is its
    // own; this machine's line has its reference line's colour, dashed.
    const index = lineKeys.indexOf(`${group.subject} · ${group.rest}`);
    const color = rests.size > 1 ? (palette[index % palette.length] ?? '#888888') : styleOf(group.subject).color;
    return { label, color, dashed: group.local, points: group.points };
  });
  const xs = series.flatMap((s) => s.points.map((p) => p.x));
  const ys = series.flatMap((s) => s.points.map((p) => p.y)).filter((v) => v > 0);
  const legend: LegendItem[] = series.filter((s) => s.dashed !== true).map((s) => ({ label: s.label, color: s.color, dashed: false }));
  if (hasLocal) legend.push({ label: 'dashed: this machine', color: '#8a8f98', dashed: true });
  const xLog = Math.max(...xs) / Math.max(Math.min(...xs), 1e-9) > 20;
  // A log axis only where the values span more than 50×; then each point's value is written
  // beside it (when there are few enough to read), since a log axis hides the size of a gap.
  const yLog = ys.length === series.flatMap((s) => s.points).length && Math.max(...ys) / Math.min(...ys) > 50;
  const labelled = yLog && series.flatMap((s) => s.points).length <= 16 ? series.map((s) => ({ ...s, points: s.points.map((p) => ({ ...p, label: formatNumber(p.y) })) })) : series;
  // A few whole numbers (1, 2 and 4 worker processes) are ticked where they are, and only there.
  const distinct = [...new Set(xs)].sort((a, b) => a - b);
  const xTicks = !xLog && distinct.length <= 10 && distinct.every(Number.isInteger) ? { xTicks: distinct } : {};
  return lineChart({
    title,
    xAxis: `${xName}${xLog ? ' (log scale)' : ''}`,
    ...xTicks,
    yAxis: `${axisTitle(selection.metric, unit)}${yLog ? ', log scale' : ''}`,
    xScale: xLog ? 'log' : 'linear',
    yScale: yLog ? 'log' : 'linear',
    series: labelled,
    legend,
    caption,
  });
}
