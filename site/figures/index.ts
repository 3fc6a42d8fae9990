// The figures plugin: `:fig[…]` and `:ratio[…]` in prose, ```figure blocks, and at the end of
// every page that shows one, the list of where each run it read was measured.

import { escapeXml } from '../../bench/charts/svg.ts';
import type { Markdown } from '../markdown-types.ts';
import { figureBlocks } from './block.ts';
import { inlineFigures, type FigureOptions } from './inline.ts';
import { usedSources, WHERE_ID } from './where.ts';

export type { FigureOptions } from './inline.ts';

export function figures(md: Markdown, options: FigureOptions): void {
  inlineFigures(md, options);
  figureBlocks(md, options);
  // Blocks are drawn at render time, so the list is added when rendering ends, not as a token.
  const render = md.render.bind(md);
  md.render = (src, env?: unknown) => {
    const html = render(src, env);
    const sources = usedSources(env);
    if (sources.length === 0) return html;
    const items = sources.map((s) => `<li>${escapeXml(s.where)}</li>`).join('');
    return `${html}<h2 id="${WHERE_ID}" tabindex="-1">Where these figures were measured <a class="header-anchor" href="#${WHERE_ID}" aria-label="Permalink to Where these figures were measured">&#8203;</a></h2>\n<ul class="naq-where" v-pre>${items}</ul>\n`;
  };
}
