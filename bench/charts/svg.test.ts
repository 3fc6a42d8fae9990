// The shared chart module: tick labels that never overlap, linear bars with their values
// written on them, an outlier cut with a break mark rather than a log axis, whiskers, one
// line per series, related colours for a runner and its raw baseline, and escaped text.

import { describe, expect, it } from 'vitest';
import { styleOf } from './colors.ts';
import { barChart, formatTick, lineChart, ticksOverlap, WIDTH, type Bar, type Tick } from './svg.ts';

const bar = (value: number, extra: Partial<Bar> = {}): Bar => ({ value, color: '#4269d0', valueLabel: `${value} jobs/s`, tooltip: `${value}`, ...extra });

/** The tick labels an SVG draws, with where they are centred. */
function ticksIn(svg: string): Tick[][] {
  // Ticks are drawn per axis, one run of consecutive tick texts per panel.
  const groups: Tick[][] = [];
  let last = -1;
  for (const match of svg.matchAll(/<text class="naq-tick" x="([\d.]+)" y="([\d.]+)"[^>]*>([^<]*)<\/text>/g)) {
    const y = Number(match[2]);
    if (y !== last) groups.push([]);
    last = y;
    groups.at(-1)?.push({ value: 0, at: Number(match[1]), label: match[3] ?? '' });
  }
  return groups;
}

describe('barChart', () => {
  it.each([
    ['thousands', [9000, 10_000, 9500]],
    ['a wide range', [98_204, 8667, 952, 496]],
    ['small fractions', [0.029, 0.063, 0.042]],
    ['one bar', [1146]],
    ['hundreds of thousands', [412_345, 398_000]],
  ])('labels ticks without overlap: %s', (_what, values) => {
    const svg = barChart({ title: 't', axis: 'jobs/s', panels: [{ title: '', rows: values.map((v, i) => ({ label: `s${i}`, bars: [bar(v)] })) }], caption: [] });
    const axes = ticksIn(svg);
    expect(axes.length).toBe(1);
    expect(axes[0]?.length).toBeGreaterThanOrEqual(2);
    expect(ticksOverlap(axes[0] ?? [], 0, WIDTH)).toBe(false);
  });

  it('writes every bar\'s value, and cuts an outlier more than 8× the next with a break mark', () => {
    const svg = barChart({ title: 't', axis: 'jobs/s', panels: [{ title: 'noop c=50', rows: [{ label: 'promise-raw', bars: [bar(9_500_000)] }, { label: 'task', bars: [bar(40_000)] }, { label: 'bullmq', bars: [bar(3000)] }] }], caption: [] });
    expect(svg).toContain('9500000 jobs/s ▸');
    expect(svg).toContain('>40000 jobs/s<');
    expect(svg).toContain('>3000 jobs/s<');
    // The axis ends near the second bar, so task's bar is long, not a sliver beside the outlier.
    const labels = ticksIn(svg)[0]?.map((t) => t.label) ?? [];
    expect(labels.at(-1)).toBe('40,000');
  });

  it('cuts nothing when no gap between neighbouring bars is over 8×, even if the range is', () => {
    const values = [51_453, 9749, 9236, 8667, 6080, 5587, 1125, 629];
    const svg = barChart({ title: 't', axis: 'jobs/s', panels: [{ title: '', rows: values.map((v, i) => ({ label: `s${i}`, bars: [bar(v)] })) }], caption: [] });
    expect(svg).not.toContain('▸');
    // The axis runs past the largest bar: nothing was cut.
    expect(Number(ticksIn(svg)[0]?.at(-1)?.label.replace(/,/g, ''))).toBeGreaterThanOrEqual(50_000);
  });

  it('draws a min–max whisker only for bars with repeats', () => {
    const svg = barChart({ title: 't', axis: 'ms', panels: [{ title: '', rows: [{ label: 'a', bars: [bar(10, { min: 8, max: 12 })] }, { label: 'b', bars: [bar(10)] }] }], caption: [] });
    expect(svg.match(/class="naq-whisker"/g)).toHaveLength(1);
  });

  it('draws one panel per case with its own axis', () => {
    const svg = barChart({ title: 't', axis: 'jobs/s', panels: [{ title: 'noop', rows: [{ label: 'a', bars: [bar(90_000)] }] }, { title: 'cpu', rows: [{ label: 'a', bars: [bar(500)] }] }], caption: [] });
    const axes = ticksIn(svg);
    expect(axes).toHaveLength(2);
    expect(axes[1]?.at(-1)?.label).toBe('500');
  });

  it('escapes titles, labels, values and captions', () => {
    const svg = barChart({ title: '<t>', axis: 'a&b', panels: [{ title: '"p"', rows: [{ label: '<script>', bars: [bar(1, { valueLabel: '<1>', tooltip: '</title>' })] }] }], caption: ['<env>'] });
    expect(svg).not.toMatch(/<(t|script|1|env)>/);
    expect(svg).not.toContain('</title></title>');
    expect(svg).toContain('&lt;script&gt;');
  });
});

describe('lineChart', () => {
  it('draws one line per series, log x ticks that do not overlap, and whiskers for repeats', () => {
    const rates = [100, 500, 1000, 2000, 5000, 10_000, 20_000, 50_000];
    const svg = lineChart({
      title: 'p99',
      xAxis: 'offered jobs/s',
      yAxis: 'p99 (ms)',
      xScale: 'log',
      yScale: 'log',
      series: ['a', 'b', 'c'].map((label, i) => ({ label, color: '#000', points: rates.map((x) => ({ x, y: (i + 1) * x / 100, ...(i === 0 ? { min: x / 200, max: x / 50 } : {}), tooltip: `${x}` })) })),
      caption: [],
    });
    expect(svg.match(/<g class="naq-series">/g)).toHaveLength(3);
    expect(svg.match(/class="naq-whisker"/g)).toHaveLength(rates.length);
    const xTicks = ticksIn(svg).find((axis) => axis.length > 1 && new Set(axis.map((t) => t.at)).size === axis.length && axis.some((t) => t.label === '1,000'));
    expect(xTicks).toBeDefined();
    expect(ticksOverlap(xTicks ?? [], 0, WIDTH)).toBe(false);
  });
});

describe('formatTick and colours', () => {
  it.each([
    [0, '0'], [10_000, '10,000'], [2.5, '2.5'], [0.05, '0.05'], [0.0125, '0.0125'],
  ])('formatTick(%s) → %s', (value, label) => {
    expect(formatTick(value)).toBe(label);
  });

  it.each([
    ['bullmq-raw-redis', 'bullmq-redis'],
    ['bullmq-raw-postgres', 'bullmq-postgres'],
    ['piscina', 'worker-pool'],
    ['otp-genserver', 'genserver'],
  ])('%s is drawn in the hue of %s, hatched only when it is a peer without the kit', (baseline, runner) => {
    expect(styleOf(baseline).color).toBe(styleOf(runner).color);
    expect(styleOf(baseline).hatched).toBe(!baseline.startsWith('otp-'));
    expect(styleOf(runner).hatched).toBe(false);
  });
});
