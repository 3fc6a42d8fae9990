// `need-a-queue compare A.json B.json [--threshold 0.1]`: B ÷ A for every figure in both files;
// exit 1 when any figure got worse than the threshold (default 10%) in its own direction.
// Both files are validated against bench/results.schema.json first.

import type { Command } from 'commander';
import { compareResults, DEFAULT_THRESHOLD, formatComparison } from '../../../bench/compare.ts';
import { readResults } from '../../../bench/results.ts';
import { BenchArgumentError } from '../../errors.ts';

export function register(program: Command): void {
  program
    .command('compare')
    .description(`compare two results files; exit 1 when a figure regressed by more than the threshold (default ${DEFAULT_THRESHOLD * 100}%)`)
    .argument('<before>', 'the earlier results file')
    .argument('<after>', 'the later results file')
    .option('--threshold <fraction>', 'regression threshold as a fraction, e.g. 0.1 for 10%', String(DEFAULT_THRESHOLD))
    .action((before: string, after: string, flags: { threshold: string }) => {
      const threshold = Number(flags.threshold);
      if (!Number.isFinite(threshold) || threshold < 0) throw new BenchArgumentError('threshold', flags.threshold, ['a number >= 0, e.g. 0.1']);
      const comparison = compareResults(readResults(before), readResults(after), threshold);
      process.stdout.write(formatComparison(comparison, threshold));
      if (comparison.regressions.length > 0) process.exitCode = 1;
    });
}

/** Same as `register`, under the name the other command modules use. */
export const registerCompare = register;
