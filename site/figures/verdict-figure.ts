// The verdict on a lesson page, from ```figure\nscenario: verdict\n```: one row per runner with
// its proved guarantees, what it cost in the newest reference run that measured throughput, and
// what it lost in the newest reference run that has the failure lab (the two are separate files:
// the lab and the full benchmark are run apart). The rows come from bench/verdict.ts, the same
// function the terminal and the results page use; this machine's verdict follows when its latest
// run measured throughput.

import { escapeXml } from '../../bench/charts/svg.ts';
import { verdictFor, verdictLegend, verdictTable, type Verdict } from '../../bench/verdict.ts';
import { SiteSourceError } from '../../src/errors.ts';
import type { BlockContext, BlockSpec } from './block.ts';
import type { Source } from './sources.ts';
import { figureTitle, htmlTable, whereCaption } from './html.ts';
import { used } from './where.ts';

const has = (scenario: string) => (source: Source): boolean => source.results.measurements.some((m) => m.scenario === scenario);

function legend(v: Verdict): string {
  return `<ul class="naq-verdict-legend">${verdictLegend(v).map((line) => `<li>${escapeXml(line)}</li>`).join('')}</ul>`;
}

/** The verdict of `costs`, with the losses column from `lab` when there is one. */
const verdictOfSources = (costs: Source, lab: Source | undefined): Verdict => verdictFor(costs.results, (lab ?? costs).results);

export function verdictFigure(spec: BlockSpec, context: BlockContext): string {
  if (spec.metric !== undefined || spec.cases !== undefined || spec.subjects !== undefined) {
    throw new SiteSourceError(context.where, 'the verdict figure takes no metric, cases or subjects', 'write only `scenario: verdict` (and a `title:` if you like)');
  }
  const costs = context.sources.references.find(has('throughput'));
  if (costs === undefined) throw new SiteSourceError(context.where, 'no reference run has throughput figures for the verdict', 'check in a full run as bench/results/reference-<date>-full.json');
  const lab = context.sources.references.find(has('lab'));
  const parts = [figureTitle(spec.title)];
  const reference = verdictOfSources(costs, lab);
  for (const s of [costs, ...(lab === undefined ? [] : [lab])]) used(context.env, s);
  parts.push(htmlTable(verdictTable(reference)), legend(reference), whereCaption(lab === undefined ? [costs] : [costs, lab]));
  const local = context.sources.local;
  if (local !== undefined && has('throughput')(local)) {
    used(context.env, local);
    const mine = verdictOfSources(local, has('lab')(local) ? local : undefined);
    parts.push('<p>The same rows from this machine\'s latest run:</p>', htmlTable(verdictTable(mine)), whereCaption([local]));
  }
  return `<div class="naq-figure naq-verdict" v-pre>${parts.join('')}</div>\n`;
}
