// The README's excerpt of the failure lab's reference run, made from the results file so that
// no count in it is typed by hand: excerpt.test.ts fails when the README's block differs from
// what this makes of the lab file the README links. After a new reference lab run, print it with
//   npx tsx bench/lab/excerpt.ts bench/results/reference-<date>-lab.json
// and paste it over the old one.

import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { readResults, type BenchResults } from '../results.ts';
import { labGrid, labMatrix } from './matrix.ts';

export function labExcerpt(results: BenchResults, file: string): string {
  const matrix = labMatrix(results);
  if (matrix.cells.length === 0) throw new Error(`${file} has no failure-lab cells: the excerpt needs a \`need-a-queue lab\` run`);
  const grid = labGrid(matrix);
  // Faults across is too wide for a README: faults down, runners across.
  const rows = grid[0]!.map((_, c) => grid.map((row) => row[c] ?? ''));
  rows[0]![0] = 'fault';
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const minutes = ((results.scenarioDurationsMs?.lab ?? results.durationMs) / 60_000).toFixed(1);
  const env = results.environment;
  return [
    `${path.basename(file)}: ${results.environment.profile} lab, ${minutes} min on ${env.cpuModel} × ${env.cores}, node ${env.node}, BullMQ ${env.bullmqVersion}`,
    ...rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd()),
    `${matrix.flags.length} cell(s) disagree with what the traits predict (marked (!)); n/a: the fault does not apply`,
    '',
  ].join('\n');
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const file = process.argv[2];
  if (file === undefined) {
    process.stderr.write('usage: npx tsx bench/lab/excerpt.ts bench/results/reference-<date>-lab.json\n');
    process.exit(2);
  }
  process.stdout.write(labExcerpt(readResults(file), file));
}
