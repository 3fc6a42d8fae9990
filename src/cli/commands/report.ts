// `need-a-queue report FILE [--out PAGE]`: renders a results file (yours, or the checked-in
// reference) as one self-contained HTML page with charts and tables, validated first.

import { resolve } from 'node:path';
import type { Command } from 'commander';
import { readResults } from '../../../bench/results.ts';
import { reportFileFor, writeReport } from '../../../bench/report/render.ts';

export function registerReport(program: Command): void {
  program
    .command('report')
    .description('render a results file as an HTML page with charts and tables (opens from disk, offline)')
    .argument('<file>', 'a results file written by `need-a-queue bench`')
    .option('--out <page>', 'where to write the page (default: beside the results file, .html)')
    .action((file: string, flags: { out?: string }) => {
      const page = writeReport(readResults(file), resolve(flags.out ?? reportFileFor(file)));
      process.stdout.write(`open ${page} in a browser\n`);
    });
}
