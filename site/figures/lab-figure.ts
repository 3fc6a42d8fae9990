// The failure lab's matrix on a lesson page, from ```figure\nscenario: lab\n```: the runner ×
// fault grid of the newest reference run that has the lab, then every cell measured beside its
// expectation and reason; and this machine's grid when its latest run has the lab too. The
// cells come from bench/lab/matrix.ts, the same function the terminal and the report use.
// `subjects:` and `cases:` narrow it to some runners and faults; a name the run lacks fails
// the build, naming the ones it has.

import { escapeXml } from '../../bench/charts/svg.ts';
import { labGrid, labMatrix, type LabMatrix } from '../../bench/lab/matrix.ts';
import { SiteSourceError } from '../../src/errors.ts';
import type { BlockContext, BlockSpec } from './block.ts';
import type { Source } from './sources.ts';
import { figureTitle, htmlTable, whereCaption } from './html.ts';
import { used } from './where.ts';

const hasLab = (source: Source): boolean => source.results.measurements.some((m) => m.scenario === 'lab');

function narrow(matrix: LabMatrix, spec: BlockSpec, where: string): LabMatrix {
  for (const [asked, known, what] of [[spec.subjects, matrix.runners, 'runner'], [spec.cases, matrix.faults, 'fault']] as const) {
    for (const name of asked ?? []) if (!known.includes(name)) throw new SiteSourceError(where, `unknown ${what} \`${name}\` in the lab figure: the reference run has no such cell`, `use some of: ${known.join(', ')}`);
  }
  const runners = spec.subjects ?? matrix.runners;
  const faults = spec.cases ?? matrix.faults;
  const cells = matrix.cells.filter((c) => runners.includes(c.runner) && faults.includes(c.fault));
  return { ...matrix, runners: matrix.runners.filter((r) => runners.includes(r)), faults: matrix.faults.filter((f) => faults.includes(f)), cells };
}

const DISAGREES = 'naq-lab-disagrees';
const anyCellFlagged = (row: readonly string[]): string | undefined => (row.some((cell) => cell.endsWith('(!)')) ? DISAGREES : undefined);

export function labFigure(spec: BlockSpec, context: BlockContext): string {
  const reference = context.sources.references.find(hasLab);
  if (reference === undefined) throw new SiteSourceError(context.where, 'no reference run has the failure lab', 'run `need-a-queue lab --profile full` and check its results file in as bench/results/reference-<date>-lab.json');
  used(context.env, reference);
  const matrix = narrow(labMatrix(reference.results), spec, context.where);
  const parts = [
    figureTitle(spec.title),
    htmlTable(labGrid(matrix), anyCellFlagged),
    // The cells that disagree with the traits stay in view: they are findings, not footnotes.
    matrix.flags.length === 0 ? '' : `<p>Cells that disagree with what the traits predict (the measurement wins):</p><ul class="naq-lab-flags">${matrix.flags.map((f) => `<li>${escapeXml(f)}</li>`).join('')}</ul>`,
    whereCaption([reference]),
    // Every cell in detail is long (a row per runner and fault): folded, so the grid reads first.
    `<details><summary>Every cell: its settings, what was measured, what the traits predicted, and why</summary>${htmlTable([matrix.header, ...matrix.cells.map((c) => [c.fault, c.runner, c.settings, c.measured, c.expected, c.verdict, c.reason])], (row) => (row[5] === 'DISAGREES' ? DISAGREES : undefined))}</details>`,
  ];
  const local = context.sources.local;
  if (local !== undefined && hasLab(local)) {
    used(context.env, local);
    const mine = labMatrix(local.results);
    const runners = matrix.runners.filter((r) => mine.runners.includes(r));
    const faults = matrix.faults.filter((f) => mine.faults.includes(f));
    if (runners.length > 0 && faults.length > 0) {
      parts.push(`<p>The same cells on this machine, from its latest run:</p>`, htmlTable(labGrid({ ...mine, runners, faults }), anyCellFlagged), whereCaption([local]));
    }
  }
  return `<div class="naq-figure naq-lab" v-pre>${parts.join('')}</div>\n`;
}
