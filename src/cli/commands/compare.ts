// `need-a-queue compare A.json B.json [--threshold 0.1] [--all-figures]`: B ÷ A for every
// figure both files can fairly share; exit 1 when any got worse than the threshold (default
// 10%) in its own direction, or when either file was interrupted. What differs between the
// runs is printed first; runs of another profile or machine are compared by the ratios each
// measured within itself unless --all-figures asks for everything. Both files are validated
// against bench/results.schema.json first.

import type { Command } from 'commander';
import { compareResults, comparisonPasses, DEFAULT_THRESHOLD, formatComparison } from '../../../bench/compare.ts';
import { readResults } from '../../../bench/results.ts';
import { BenchArgumentError } from '../../errors.ts';

export function register(program: Command): void {
  program
    .command('compare')
    .description(`compare two results files like for like; exit 1 when a figure regressed by more than the threshold (default ${DEFAULT_THRESHOLD * 100}%) or a file was interrupted`)
    .argument('<before>', 'the earlier results file')
    .argument('<after>', 'the later results file')
    .option('--threshold <fraction>', 'regression threshold as a fraction, e.g. 0.1 for 10%', String(DEFAULT_THRESHOLD))
    .option('--all-figures', 'compare every figure even across profiles or machines (default there: only within-file ratios)')
    .action((before: string, after: string, flags: { threshold: string; allFigures?: boolean }) => {
      const threshold = Number(flags.threshold);
      if (!Number.isFinite(threshold) || threshold < 0) throw new BenchArgumentError('threshold', flags.threshold, ['a number >= 0, e.g. 0.1']);
      const comparison = compareResults(readResults(before), readResults(after), { threshold, allFigures: flags.allFigures === true });
      process.stdout.write(formatComparison(comparison, threshold, { before, after }));
      if (!comparisonPasses(comparison)) process.exitCode = 1;
    });
}

/** Same as `register`, under the name the other command modules use. */
export const registerCompare = register;
