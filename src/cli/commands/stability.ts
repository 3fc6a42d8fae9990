// `need-a-queue stability A.json B.json C.json [--scenario throughput] [--limit 0.15]`: how far
// each figure's median moved across back-to-back runs; exit 1 when any moved past the limit.
// Use it before trusting a machine for a reference run: three quick runs, then this. Runs of
// other profiles or machines are refused (exit 2) after saying what differs.

import type { Command } from 'commander';
import { readResults } from '../../../bench/results.ts';
import { DEFAULT_STABILITY_LIMIT, formatStability, notLikeForLike, stabilityOf } from '../../../bench/stability.ts';
import { BenchArgumentError } from '../../errors.ts';

export function registerStability(program: Command): void {
  program
    .command('stability')
    .description(`how far each figure's median moved across runs; exit 1 past the limit (default ${DEFAULT_STABILITY_LIMIT * 100}%)`)
    .argument('<files...>', 'two or more results files of the same profile')
    .option('--scenario <name>', 'only this scenario (e.g. throughput)')
    .option('--limit <fraction>', 'largest allowed (max − min) ÷ median of the medians', String(DEFAULT_STABILITY_LIMIT))
    .action((files: string[], flags: { scenario?: string; limit: string }) => {
      const limit = Number(flags.limit);
      if (!Number.isFinite(limit) || limit < 0) throw new BenchArgumentError('limit', flags.limit, ['a number >= 0, e.g. 0.15']);
      if (files.length < 2) throw new BenchArgumentError('files', files.join(' '), ['two or more results files']);
      const stability = stabilityOf(files.map(readResults), { limit, ...(flags.scenario === undefined ? {} : { scenario: flags.scenario }) });
      process.stdout.write(formatStability(stability, limit));
      // Runs of other profiles or machines are the wrong input (exit 2, as for any bad input);
      // an unstable figure or an interrupted run means the machine's figures cannot be vouched for.
      if (notLikeForLike(stability)) process.exitCode = 2;
      else if (stability.unstable.length > 0 || stability.interrupted.length > 0) process.exitCode = 1;
    });
}
