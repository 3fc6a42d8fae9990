// The one chart module: the report page (bench/report/) and the lessons site (site/figures/)
// both draw their charts with it, as SVG made when the page is made, so a chart fix lands once
// and a chart needs no script to show. Text is drawn in `currentColor` and bars in mid-tone
// hues, so the same SVG reads on a light page and a dark one (charts.css styles the frame).
//
// What it draws, from what misled readers of the first report page:
// - bars on a LINEAR axis, each with its value written beside it, and a bar more than 8× the
//   next one cut at the edge with a break mark (a log axis made a 20× gap look 2×);
// - min–max whiskers on every bar and point that has repeats;
// - tick labels spaced so they never overlap (fewer ticks until they fit);
// - one panel per case for bars, one line per series for lines: cases never share a line.
// d3-scale does the scale arithmetic (nice domains and ticks); the marks are written here.

import { scaleLinear, scaleLog } from 'd3-scale';

export interface Bar {
  readonly value: number;
  readonly min?: number;
  readonly max?: number;
  readonly color: string;
  /** Raw baselines: hatched in their runner's hue. */
  readonly hatched?: boolean;
  /** A second source beside the first (this machine beside the reference): lighter, outlined. */
  readonly faded?: boolean;
  /** Written beside the bar: the value with its unit. */
  readonly valueLabel: string;
  /** Shown on hover. */
  readonly tooltip: string;
}

export interface BarRow {
  readonly label: string;
  /** One bar per source, drawn one under the other. */
  readonly bars: readonly Bar[];
}

/** A panel: one case, its own axis, so a case with large values does not flatten another's. */
export interface BarPanel {
  readonly title: string;
  readonly rows: readonly BarRow[];
}

export interface LegendItem {
  readonly label: string;
  readonly color: string;
  readonly hatched?: boolean;
  readonly faded?: boolean;
  readonly dashed?: boolean;
}

export interface BarChartSpec {
  readonly title: string;
  /** The value axis's title, with the unit: `jobs/s`, `lag p99 (ms)`. */
  readonly axis: string;
  readonly panels: readonly BarPanel[];
  readonly legend?: readonly LegendItem[];
  /** Where the figures were measured: one line per results file. */
  readonly caption: readonly string[];
}

export interface LinePoint {
  readonly x: number;
  readonly y: number;
  readonly min?: number;
  readonly max?: number;
  readonly tooltip: string;
  /** Written beside the point: what a log axis makes hard to read off. */
  readonly label?: string;
}

export interface LineSeries {
  readonly label: string;
  readonly color: string;
  readonly dashed?: boolean;
  readonly points: readonly LinePoint[];
}

export interface LineChartSpec {
  readonly title: string;
  readonly xAxis: string;
  readonly yAxis: string;
  readonly xScale: 'linear' | 'log';
  readonly yScale: 'linear' | 'log';
  readonly series: readonly LineSeries[];
  /** Where to put x ticks when only some values mean something (1, 2 and 4 worker processes). */
  readonly xTicks?: readonly number[];
  readonly legend?: readonly LegendItem[];
  readonly caption: readonly string[];
}

export const WIDTH = 640;
const FONT = 'font-family="system-ui, -apple-system, Segoe UI, sans-serif"';
/** Width of one character of 11-12 px sans text, generously: labels are spaced by it. */
const CHAR_PX = 6.6;
const TICK_GAP_PX = 10;
const BAR_PX = 14;
/** How far past the next-largest value a bar must reach to be cut with a break mark. */
const CLIP_FACTOR = 8;

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

const r1 = (n: number) => Math.round(n * 10) / 10;
const textWidth = (text: string) => text.length * CHAR_PX;

/** A tick's label: whole numbers with thousands separators, small ones to three significant digits. */
export function formatTick(value: number): string {
  if (value === 0) return '0';
  const abs = Math.abs(value);
  if (abs >= 1) return Number(value.toPrecision(6)).toLocaleString('en-US', { maximumFractionDigits: 2 });
  return Number(value.toPrecision(3)).toString();
}

export interface Tick {
  readonly value: number;
  readonly at: number;
  readonly label: string;
}

/** Whether labels centred at their positions overlap or leave [lo, hi]. */
export function ticksOverlap(ticks: readonly Tick[], lo = -Infinity, hi = Infinity): boolean {
  for (const [i, tick] of ticks.entries()) {
    const half = textWidth(tick.label) / 2;
    if (tick.at - half < lo - 1 || tick.at + half > hi + 1) return true;
    const next = ticks[i + 1];
    if (next !== undefined && tick.at + half + TICK_GAP_PX > next.at - textWidth(next.label) / 2) return true;
  }
  return false;
}

type Scale = ((value: number) => number) & { ticks(count?: number): number[] };

/** The most ticks (at most 8) whose labels fit side by side on a horizontal axis. */
function horizontalTicks(scale: Scale, log: boolean, lo: number, hi: number): Tick[] {
  const candidates: number[][] = [];
  if (log) {
    const all = scale.ticks();
    for (const keep of [[1, 2, 5], [1, 3], [1]]) candidates.push(all.filter((v) => keep.includes(Math.round(v / 10 ** Math.floor(Math.log10(v) + 1e-9)))));
    const decades = all.filter((v) => Math.abs(Math.log10(v) - Math.round(Math.log10(v))) < 1e-9);
    for (let step = 2; step < decades.length; step++) candidates.push(decades.filter((_, i) => i % step === 0));
  } else {
    for (let count = 8; count >= 1; count--) candidates.push(scale.ticks(count));
  }
  for (const values of candidates) {
    const ticks = values.map((value) => ({ value, at: scale(value), label: formatTick(value) }));
    if (!ticksOverlap(ticks, lo, hi)) return ticks;
  }
  const last = candidates.at(-1) ?? [];
  return last.slice(0, 1).map((value) => ({ value, at: scale(value), label: formatTick(value) }));
}

/** Ticks for a vertical axis: at most one label per 26 px of height. */
function verticalTicks(scale: Scale, log: boolean, heightPx: number): Tick[] {
  const room = Math.max(2, Math.floor(heightPx / 26));
  let values: number[];
  if (log) {
    const all = scale.ticks();
    values = all.filter((v) => [1, 2, 5].includes(Math.round(v / 10 ** Math.floor(Math.log10(v) + 1e-9))));
    if (values.length > room) values = all.filter((v) => Math.abs(Math.log10(v) - Math.round(Math.log10(v))) < 1e-9);
    while (values.length > room) values = values.filter((_, i) => i % 2 === 0);
  } else {
    values = scale.ticks(Math.min(room, 6));
  }
  return values.map((value) => ({ value, at: scale(value), label: formatTick(value) }));
}

function hatchDefs(colors: Iterable<string>): string {
  const ids = [...new Set(colors)].map((color) => {
    const id = hatchId(color);
    return `<pattern id="${id}" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="${color}" fill-opacity="0.28"/><rect width="2.4" height="6" fill="${color}"/></pattern>`;
  });
  return ids.length === 0 ? '' : `<defs>${ids.join('')}</defs>`;
}

const hatchId = (color: string) => `naq-hatch-${color.replace(/[^0-9a-z]/gi, '')}`;

function barFill(bar: { color: string; hatched?: boolean; faded?: boolean }): string {
  const fill = bar.hatched === true ? `url(#${hatchId(bar.color)})` : bar.color;
  return bar.faded === true ? `fill="${fill}" fill-opacity="0.4" stroke="${bar.color}" stroke-width="1.2"` : `fill="${fill}"`;
}

function legendHtml(items: readonly LegendItem[] | undefined): string {
  if (items === undefined || items.length === 0) return '';
  const swatch = (item: LegendItem) => {
    if (item.dashed !== undefined) return `<svg width="22" height="10" aria-hidden="true"><line x1="1" y1="5" x2="21" y2="5" stroke="${item.color}" stroke-width="2.5"${item.dashed ? ' stroke-dasharray="4 3"' : ''}/></svg>`;
    const defs = item.hatched === true ? hatchDefs([item.color]) : '';
    return `<svg width="14" height="12" aria-hidden="true">${defs}<rect x="1" y="1" width="12" height="10" ${barFill(item)}/></svg>`;
  };
  return `<div class="naq-legend">${items.map((item) => `<span>${swatch(item)}${escapeXml(item.label)}</span>`).join('')}</div>`;
}

function frame(title: string, svg: string, legend: readonly LegendItem[] | undefined, caption: readonly string[]): string {
  const captionHtml = caption.length === 0 ? '' : `<figcaption>${caption.map((line) => `<span>${escapeXml(line)}</span>`).join('')}</figcaption>`;
  // A figure block on a lessons page shows its title above its table, not again over the chart.
  const titleHtml = title === '' ? '' : `<div class="naq-chart-title">${escapeXml(title)}</div>`;
  return `<figure class="naq-chart">${titleHtml}${legendHtml(legend)}${svg}${captionHtml}</figure>`;
}

function svgOpen(height: number, title: string): string {
  return `<svg class="naq-chart-svg" viewBox="0 0 ${WIDTH} ${r1(height)}" width="100%" role="img" aria-label="${escapeXml(title)}" ${FONT} font-size="12">`;
}

/** Horizontal bars, one panel per case, each with its own linear axis. */
export function barChart(spec: BarChartSpec): string {
  const labelWidth = Math.min(240, Math.max(80, ...spec.panels.flatMap((p) => p.rows.map((row) => textWidth(row.label) + 14))));
  const x0 = labelWidth;
  const x1 = WIDTH - 78; // room for the value written past the longest bar
  const parts: string[] = [];
  const hatched = new Set<string>();
  let y = 4;
  for (const panel of spec.panels) {
    const bars = panel.rows.flatMap((row) => row.bars);
    for (const bar of bars) if (bar.hatched === true) hatched.add(bar.color);
    const reach = (bar: Bar) => Math.max(bar.value, bar.max ?? bar.value);
    const sorted = bars.map(reach).filter((v) => Number.isFinite(v) && v > 0).sort((a, b) => b - a);
    // Bars above a gap of more than CLIP_FACTOR× are cut at the edge: on a linear axis they
    // would flatten every other bar to a sliver, and their values are written on them anyway.
    // Only a few may be cut (at most a third), so the axis still shows most bars as they are.
    let top = sorted[0] ?? 1;
    const gap = sorted.findIndex((v, i) => i + 1 < sorted.length && v > CLIP_FACTOR * (sorted[i + 1] ?? v));
    if (gap >= 0 && gap + 1 <= sorted.length / 3) top = sorted[gap + 1] ?? top;
    const scale = scaleLinear().domain([0, top]).nice().range([x0, x1]) as unknown as Scale & { domain(): number[] };
    const domainMax = scale.domain()[1] ?? top;
    if (panel.title !== '') {
      parts.push(`<text x="0" y="${r1(y + 12)}" font-weight="600" fill="currentColor">${escapeXml(panel.title)}</text>`);
      y += 20;
    }
    const top0 = y;
    const rowsSvg: string[] = [];
    for (const row of panel.rows) {
      const rowHeight = row.bars.length * BAR_PX + (row.bars.length - 1) * 2;
      rowsSvg.push(`<text x="${r1(x0 - 8)}" y="${r1(y + rowHeight / 2 + 4)}" text-anchor="end" fill="currentColor">${escapeXml(row.label)}</text>`);
      for (const bar of row.bars) {
        const clipped = bar.value > domainMax;
        const end = clipped ? x1 : scale(Math.max(0, bar.value));
        const marks: string[] = [`<title>${escapeXml(bar.tooltip)}</title>`, `<rect x="${r1(x0)}" y="${r1(y)}" width="${r1(Math.max(1, end - x0))}" height="${BAR_PX}" ${barFill(bar)}/>`];
        if (clipped) {
          // The break mark: two slashes across the bar near its cut end.
          for (const dx of [-22, -16]) marks.push(`<line x1="${r1(x1 + dx - 3)}" y1="${r1(y + BAR_PX + 2)}" x2="${r1(x1 + dx + 3)}" y2="${r1(y - 2)}" style="stroke: var(--naq-chart-bg, #fff)" stroke-width="3"/>`);
          // Written inside the bar, before the break: past its end there is no room left.
          marks.push(`<text x="${r1(x1 - 34)}" y="${r1(y + BAR_PX - 3)}" text-anchor="end" fill="#fff" stroke="#000" stroke-opacity="0.55" stroke-width="2.5" paint-order="stroke" font-weight="600">${escapeXml(bar.valueLabel)} ▸</text>`);
        } else {
          let labelAt = end + 5;
          if (bar.min !== undefined && bar.max !== undefined && bar.max > bar.min) {
            const lo = scale(bar.min);
            const hi = Math.min(x1, scale(bar.max));
            const mid = y + BAR_PX / 2;
            marks.push(`<path d="M${r1(lo)} ${r1(mid)}H${r1(hi)}M${r1(lo)} ${r1(mid - 4)}V${r1(mid + 4)}M${r1(hi)} ${r1(mid - 4)}V${r1(mid + 4)}" stroke="currentColor" stroke-width="1.2" fill="none" class="naq-whisker"/>`);
            labelAt = Math.max(labelAt, hi + 5);
          }
          marks.push(`<text x="${r1(labelAt)}" y="${r1(y + BAR_PX - 3)}" fill="currentColor">${escapeXml(bar.valueLabel)}</text>`);
        }
        rowsSvg.push(`<g class="naq-bar">${marks.join('')}</g>`);
        y += BAR_PX + 2;
      }
      y += 6;
    }
    const ticks = horizontalTicks(scale, false, x0 - 20, WIDTH);
    for (const tick of ticks) parts.push(`<line x1="${r1(tick.at)}" x2="${r1(tick.at)}" y1="${r1(top0 - 2)}" y2="${r1(y)}" stroke="currentColor" stroke-opacity="0.15"/>`);
    parts.push(...rowsSvg);
    parts.push(`<line x1="${r1(x0)}" x2="${r1(x0)}" y1="${r1(top0 - 2)}" y2="${r1(y)}" stroke="currentColor" stroke-opacity="0.5"/>`);
    for (const tick of ticks) parts.push(`<text class="naq-tick" x="${r1(tick.at)}" y="${r1(y + 13)}" text-anchor="middle" fill="currentColor" fill-opacity="0.75" font-size="11">${escapeXml(tick.label)}</text>`);
    parts.push(`<text x="${r1((x0 + x1) / 2)}" y="${r1(y + 29)}" text-anchor="middle" fill="currentColor" fill-opacity="0.85">${escapeXml(spec.axis)}</text>`);
    y += 44;
  }
  const svg = `${svgOpen(y, spec.title)}${hatchDefs(hatched)}${parts.join('')}</svg>`;
  return frame(spec.title, svg, spec.legend, spec.caption);
}

/** One line per series against a numeric x (offered rate, worker processes). */
export function lineChart(spec: LineChartSpec): string {
  const height = 340;
  const left = 70;
  const right = WIDTH - 16;
  const top = 10;
  const bottom = height - 48;
  const points = spec.series.flatMap((s) => s.points);
  const xs = points.map((p) => p.x);
  const ys = points.flatMap((p) => [p.y, p.min ?? p.y, p.max ?? p.y]).filter((v) => spec.yScale === 'linear' || v > 0);
  const xLog = spec.xScale === 'log';
  const yLog = spec.yScale === 'log';
  const xDomain = [Math.min(...xs), Math.max(...xs)];
  if (xDomain[0] === xDomain[1]) xDomain[1] = (xDomain[0] ?? 0) + 1;
  const x = (xLog ? scaleLog().domain(xDomain) : scaleLinear().domain(xDomain)).range([left + 8, right - 8]) as unknown as Scale;
  const yDomain = yLog ? [Math.min(...ys), Math.max(...ys)] : [Math.min(0, ...ys), Math.max(...ys)];
  const yScale = (yLog ? scaleLog().domain(yDomain).nice() : scaleLinear().domain(yDomain).nice()).range([bottom, top]) as unknown as Scale;
  const parts: string[] = [];
  const yTicks = verticalTicks(yScale, yLog, bottom - top);
  for (const tick of yTicks) {
    parts.push(`<line x1="${left}" x2="${right}" y1="${r1(tick.at)}" y2="${r1(tick.at)}" stroke="currentColor" stroke-opacity="0.15"/>`);
    parts.push(`<text class="naq-tick" x="${left - 6}" y="${r1(tick.at + 4)}" text-anchor="end" fill="currentColor" fill-opacity="0.75" font-size="11">${escapeXml(tick.label)}</text>`);
  }
  const xTicks = spec.xTicks === undefined ? horizontalTicks(x, xLog, 0, WIDTH) : spec.xTicks.map((value) => ({ value, at: x(value), label: formatTick(value) }));
  for (const tick of xTicks) {
    parts.push(`<line x1="${r1(tick.at)}" x2="${r1(tick.at)}" y1="${top}" y2="${bottom}" stroke="currentColor" stroke-opacity="0.08"/>`);
    parts.push(`<text class="naq-tick" x="${r1(tick.at)}" y="${bottom + 15}" text-anchor="middle" fill="currentColor" fill-opacity="0.75" font-size="11">${escapeXml(tick.label)}</text>`);
  }
  parts.push(`<path d="M${left} ${top}V${bottom}H${right}" stroke="currentColor" stroke-opacity="0.5" fill="none"/>`);
  parts.push(`<text x="${r1((left + right) / 2)}" y="${height - 10}" text-anchor="middle" fill="currentColor" fill-opacity="0.85">${escapeXml(spec.xAxis)}</text>`);
  parts.push(`<text transform="translate(14 ${r1((top + bottom) / 2)}) rotate(-90)" text-anchor="middle" fill="currentColor" fill-opacity="0.85">${escapeXml(spec.yAxis)}</text>`);
  const clampY = (v: number) => yScale(yLog ? Math.max(v, yDomain[0] ?? v) : v);
  for (const series of spec.series) {
    const sorted = [...series.points].sort((a, b) => a.x - b.x);
    const d = sorted.map((p, i) => `${i === 0 ? 'M' : 'L'}${r1(x(p.x))} ${r1(clampY(p.y))}`).join('');
    const marks = [`<path d="${d}" fill="none" stroke="${series.color}" stroke-width="2"${series.dashed === true ? ' stroke-dasharray="5 4"' : ''}/>`];
    for (const p of sorted) {
      const px = r1(x(p.x));
      if (p.min !== undefined && p.max !== undefined && p.max > p.min) {
        marks.push(`<path class="naq-whisker" d="M${px} ${r1(clampY(p.min))}V${r1(clampY(p.max))}M${r1(px - 3)} ${r1(clampY(p.min))}h6M${r1(px - 3)} ${r1(clampY(p.max))}h6" stroke="${series.color}" stroke-width="1.2" fill="none"/>`);
      }
      marks.push(`<circle cx="${px}" cy="${r1(clampY(p.y))}" r="3.2" fill="${series.color}"><title>${escapeXml(p.tooltip)}</title></circle>`);
      if (p.label !== undefined) marks.push(`<text class="naq-point-label" x="${r1(px + 5)}" y="${r1(clampY(p.y) - 6)}" fill="currentColor" font-size="10.5">${escapeXml(p.label)}</text>`);
    }
    parts.push(`<g class="naq-series">${marks.join('')}</g>`);
  }
  const svg = `${svgOpen(height, spec.title)}${parts.join('')}</svg>`;
  return frame(spec.title, svg, spec.legend, spec.caption);
}
