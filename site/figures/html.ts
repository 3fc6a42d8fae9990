// The HTML pieces the table figures (the lab matrix, the verdict) share: a table from rows of
// strings, the "where it was measured" caption, the optional title. Everything is escaped here,
// so a runner name or a reason from a results file cannot become markup.

import { escapeXml } from '../../bench/charts/svg.ts';
import type { Source } from './sources.ts';
import { WHERE_ID } from './where.ts';

/** A table whose first row is the header; `rowClass` may mark a body row with a class. */
export function htmlTable(rows: readonly (readonly string[])[], rowClass: (row: readonly string[]) => string | undefined = () => undefined): string {
  const [header, ...body] = rows;
  const cells = (row: readonly string[], tag: string) => row.map((cell) => `<${tag}>${escapeXml(cell)}</${tag}>`).join('');
  const open = (row: readonly string[]) => {
    const name = rowClass(row);
    return name === undefined ? '<tr>' : `<tr class="${escapeXml(name)}">`;
  };
  return `<table><thead><tr>${cells(header ?? [], 'th')}</tr></thead><tbody>${body.map((r) => `${open(r)}${cells(r, 'td')}</tr>`).join('')}</tbody></table>`;
}

/** One line per source saying where its figures were measured, linked to the page's note. */
export function whereCaption(sources: readonly Source[]): string {
  return sources.map((s) => `<p class="naq-figure-where"><a href="#${WHERE_ID}">${escapeXml(s.where)}</a></p>`).join('');
}

/** The figure's title line, or nothing. */
export function figureTitle(title: string | undefined): string {
  return title === undefined ? '' : `<p class="naq-figure-title">${escapeXml(title)}</p>`;
}
