// The report page's charts, one per figure family, drawn by the shared chart module
// (bench/charts/svg.ts) that the lessons site draws with too. Bars for figures compared across
// subjects (one panel per case, each with its own linear axis); lines for figures against a
// number (offered rate, worker processes), one line per subject and case.

import { barChart, lineChart, type BarPanel, type LegendItem, type LineSeries } from '../charts/svg.ts';
import { styleOf } from '../charts/colors.ts';
import { describeRun, formatNumber } from '../print.ts';
import type { BenchResults, SummarizedMeasurement } from '../results.ts';

const unique = <T>(values: readonly T[]) => [...new Set(values)];

const RAW_LEGEND: LegendItem = { label: 'hatched: the library without the kit, in its runner’s colour (grey: p-queue and the floors under it, the in-process runners’ peer)', color: '#8a8f98', hatched: true };

const range = (m: SummarizedMeasurement) => (m.samples.length > 1 ? `median of ${m.samples.length}, min ${formatNumber(m.min)}, max ${formatNumber(m.max)}${m.noisy ? ', NOISY' : ''}` : 'one run');

function bars(rows: readonly SummarizedMeasurement[], panelOf: (m: SummarizedMeasurement) => string, labelOf: (m: SummarizedMeasurement) => string): BarPanel[] {
  return unique(rows.map(panelOf)).map((title) => ({
    title,
    rows: rows
      .filter((m) => panelOf(m) === title)
      .map((m) => {
        const style = styleOf(m.subject);
        return {
          label: labelOf(m),
          bars: [{ value: m.median, ...(m.samples.length > 1 ? { min: m.min, max: m.max } : {}), color: style.color, hatched: style.hatched, valueLabel: `${formatNumber(m.median)} ${m.unit}${m.noisy ? ' *' : ''}`, tooltip: `${m.subject}, ${m.case}: ${formatNumber(m.median)} ${m.unit} (${range(m)})` }],
        };
      }),
  }));
}

function lines(rows: readonly SummarizedMeasurement[], x: (m: SummarizedMeasurement) => number, seriesOf: (m: SummarizedMeasurement) => string, colorBySeries: boolean): LineSeries[] {
  const palette = ['#4269d0', '#dc3d2a', '#1f8a94', '#d99a0b', '#8c6bdf', '#3ca951', '#e0569b', '#8a8f98'];
  return unique(rows.map(seriesOf)).map((label, i) => {
    const mine = rows.filter((m) => seriesOf(m) === label);
    return {
      label,
      color: colorBySeries ? (palette[i % palette.length] ?? '#888888') : styleOf(mine[0]?.subject ?? '').color,
      points: mine.map((m) => ({ x: x(m), y: m.median, ...(m.samples.length > 1 ? { min: m.min, max: m.max } : {}), tooltip: `${m.subject}, ${m.case}: ${formatNumber(m.median)} ${m.unit} (${range(m)})` })),
    };
  });
}

const legendOf = (series: readonly LineSeries[]): LegendItem[] => series.map((s) => ({ label: s.label, color: s.color, dashed: false }));

/** The charts for one scenario's section, as HTML; empty when the scenario has nothing to chart. */
export function scenarioCharts(results: BenchResults, scenario: string): string {
  const caption = [describeRun(results)];
  const of = (metric?: string) => results.measurements.filter((m) => m.scenario === scenario && (metric === undefined || m.metric === metric));
  const hasRaw = (rows: readonly SummarizedMeasurement[]) => rows.some((m) => styleOf(m.subject).hatched);
  switch (scenario) {
    case 'throughput': {
      const rows = of('jobs/s');
      if (rows.length === 0) return '';
      return barChart({ title: 'Jobs drained a second, by job (higher is better; * = NOISY)', axis: 'jobs/s', panels: bars(rows, (m) => m.case, (m) => m.subject), legend: hasRaw(rows) ? [RAW_LEGEND] : [], caption });
    }
    case 'latency': {
      const rows = of('p99 submit→done');
      if (rows.length === 0) return '';
      const rate = (m: SummarizedMeasurement) => Number(/rate=(\d+)/.exec(m.case)?.[1] ?? 0);
      const series = lines(rows, rate, (m) => m.subject, false);
      return lineChart({ title: 'p99 submit→done against the offered rate of noop jobs (lower is better): the line turns up where a runner saturates', xAxis: 'offered jobs/s (log scale)', yAxis: 'p99 submit→done (ms, log scale)', xScale: 'log', yScale: 'log', series, legend: legendOf(series), caption });
    }
    case 'event-loop': {
      const rows = of('lag p99');
      if (rows.length === 0) return '';
      return barChart({ title: 'Event-loop lag p99 while the subject drains jobs (lower is better; * = NOISY)', axis: 'lag p99 (ms)', panels: bars(rows, (m) => m.case, (m) => m.subject), legend: hasRaw(rows) ? [RAW_LEGEND] : [], caption });
    }
    case 'web-server': {
      const rows = of('request p99');
      const idle = rows.filter((m) => m.subject === 'idle');
      const cases = unique(rows.filter((m) => m.subject !== 'idle').map((m) => m.case));
      if (cases.length === 0) return '';
      // The idle bar heads each panel, so every runner is read against the server with no jobs.
      const panels = cases.flatMap((c) => [...idle.map((m) => ({ ...m, case: c })), ...rows.filter((m) => m.case === c && m.subject !== 'idle')]);
      return barChart({ title: 'Request p99 of a web server in the same process while the runner works through jobs (lower is better; idle: no jobs; * = NOISY)', axis: 'request p99 (ms)', panels: bars(panels, (m) => m.case, (m) => m.subject), caption });
    }
    case 'memory': {
      const rows = of('RSS growth');
      if (rows.length === 0) return '';
      return barChart({ title: 'Resident memory gained with jobs accepted and not yet run (lower is better)', axis: 'RSS growth (MB)', panels: bars(rows, (m) => m.case, (m) => m.subject), legend: hasRaw(rows) ? [RAW_LEGEND] : [], caption });
    }
    case 'micro': {
      const rows = of();
      if (rows.length === 0) return '';
      // One panel per subject: a thread round trip and a Map update differ a thousandfold.
      return barChart({ title: 'Cost of one operation, beside the bare operation it wraps (lower is better)', axis: 'µs per operation', panels: bars(rows, (m) => m.subject, (m) => m.case), caption });
    }
    case 'scale-out': {
      const rows = of('jobs/s');
      if (rows.length === 0) return '';
      const workers = (m: SummarizedMeasurement) => Number(/workers=(\d+)/.exec(m.case)?.[1] ?? 0);
      const job = (m: SummarizedMeasurement) => m.case.replace(/\s*workers=\d+.*$/, '');
      // One chart per job (noop drains ten times faster than sleep), one line per backend and
      // concurrency: `sleep 10ms c=10` and `c=2` are two lines, never one.
      return unique(rows.map(job))
        .map((name) => {
          const mine = rows.filter((m) => job(m) === name);
          const series = lines(mine, workers, (m) => `${m.subject} · ${m.case.replace(/\s*workers=\d+/, '')}`, true);
          return lineChart({ title: `${name} jobs a second against worker processes on one queue (higher is better)`, xAxis: 'worker processes', yAxis: 'jobs/s', xScale: 'linear', yScale: 'linear', xTicks: unique(mine.map(workers)).sort((a, b) => a - b), series, legend: legendOf(series), caption });
        })
        .join('\n');
    }
    default:
      return '';
  }
}
