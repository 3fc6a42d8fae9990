// Figures in prose, read from the results files when the page is built:
//     :fig[throughput | genserver | sleep 5ms c=50 | jobs/s]            → 8,667 jobs/s reference · … this machine
//     :ratio[throughput | worker-pool ÷ promise-raw | cpu 2ms c=50 | jobs/s] → 1.92× reference · … this machine
// Each value is labelled with the run it came from and links to the page's list of where each
// run was measured. A ratio divides two medians from the same file.

import { formatNumber } from '../../bench/print.ts';
import { escapeXml } from '../../bench/charts/svg.ts';
import { SiteSourceError } from '../../src/errors.ts';
import { pageOf } from '../include.ts';
import type { InlineRule, Markdown } from '../markdown-types.ts';
import { keyOf, parseKey, pageKey, type FigureKey } from './keys.ts';
import { findFigure, unknownKey, type Found } from './lookup.ts';
import type { Source, Sources } from './sources.ts';
import { used, WHERE_ID } from './where.ts';

export interface FigureOptions {
  readonly root: string;
  /** Read once per page render: a results file written between pages is picked up by the next build. */
  readonly sources: () => Sources;
}

const INLINE = /^:(fig|ratio)\[([^\]\n]*)\]/;

/** `8,667 jobs/s`: a median as the tables print it, with its unit. */
export const valueText = (found: Found): string => `${formatNumber(found.measurement.median)} ${found.measurement.unit}`;

function labelled(value: string, source: Source, tooltip: string): string {
  const kind = source.kind === 'reference' ? 'reference' : 'this machine';
  return `<span class="naq-fig-value" title="${escapeXml(tooltip)}">${escapeXml(value)}</span> <a class="naq-fig-source naq-fig-${kind === 'reference' ? 'reference' : 'local'}" href="#${WHERE_ID}" title="${escapeXml(source.where)}">${kind}</a>`;
}

const spread = (found: Found) => {
  const m = found.measurement;
  return m.samples.length > 1 ? `median of ${m.samples.length}, min ${formatNumber(m.min)}, max ${formatNumber(m.max)}${m.noisy ? ', NOISY' : ''}` : 'a single run';
};

function figHtml(env: unknown, sources: Sources, key: FigureKey, where: string): string {
  const figure = findFigure(sources, key, where);
  const parts = [figure.reference, ...(figure.local === undefined ? [] : [figure.local])].map((found) => {
    used(env, found.source);
    return labelled(valueText(found), found.source, `${pageKey(key)}: ${spread(found)}`);
  });
  return `<span class="naq-fig" v-pre>${parts.join('<span class="naq-fig-sep"> · </span>')}</span>`;
}

/** `scenario | a ÷ b | case | metric` → the two keys. */
export function parseRatio(text: string): { top: FigureKey; bottom: FigureKey } | undefined {
  const key = parseKey(text);
  const subjects = key?.subject.split('÷').map((s) => s.trim());
  if (key === undefined || subjects?.length !== 2 || subjects.some((s) => s === '')) return undefined;
  const [a = '', b = ''] = subjects;
  return { top: { ...key, subject: a }, bottom: { ...key, subject: b } };
}

function ratioIn(source: Source, top: FigureKey, bottom: FigureKey): number | undefined {
  const a = source.byKey.get(keyOf(top));
  const b = source.byKey.get(keyOf(bottom));
  return a === undefined || b === undefined || b.median === 0 ? undefined : a.median / b.median;
}

function ratioHtml(env: unknown, sources: Sources, text: string, where: string): string {
  const parsed = parseRatio(text);
  if (parsed === undefined) throw new SiteSourceError(where, `cannot read \`:ratio[${text}]\``, 'write `:ratio[scenario | subject ÷ subject | case | metric]`');
  const { top, bottom } = parsed;
  const reference = sources.references.find((source) => ratioIn(source, top, bottom) !== undefined);
  if (reference === undefined) {
    const missing = sources.references.some((s) => s.byKey.has(keyOf(top))) ? bottom : top;
    throw unknownKey(sources, pageKey(missing), where, 'ratio figure');
  }
  const parts: string[] = [];
  for (const source of [reference, ...(sources.local === undefined ? [] : [sources.local])]) {
    const ratio = ratioIn(source, top, bottom);
    if (ratio === undefined) continue;
    used(env, source);
    parts.push(labelled(`${ratio.toFixed(2)}×`, source, `${top.subject} ÷ ${bottom.subject}, ${top.case}, ${top.metric} (medians from one run)`));
  }
  return `<span class="naq-fig" v-pre>${parts.join('<span class="naq-fig-sep"> · </span>')}</span>`;
}

export function inlineFigures(md: Markdown, options: FigureOptions): void {
  const rule: InlineRule = (state, silent) => {
    if (state.src.charCodeAt(state.pos) !== 0x3a /* : */) return false;
    const match = INLINE.exec(state.src.slice(state.pos));
    if (match === null) return false;
    if (!silent) {
      const [, kind = '', text = ''] = match;
      const where = pageOf(state.env, options.root);
      const sources = options.sources();
      let html: string;
      if (kind === 'fig') {
        const key = parseKey(text);
        if (key === undefined) throw new SiteSourceError(where, `cannot read \`:fig[${text}]\``, 'write `:fig[scenario | subject | case | metric]`, four parts split by `|`');
        html = figHtml(state.env, sources, key, where);
      } else {
        html = ratioHtml(state.env, sources, text, where);
      }
      const token = state.push('html_inline', '', 0);
      token.content = html;
    }
    state.pos += match[0].length;
    return true;
  };
  md.inline.ruler.before('emphasis', 'naq-figure', rule);
}
