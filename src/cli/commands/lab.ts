// `need-a-queue lab [--runners a,b] [--faults x,y] [--profile quick|full] [--out FILE]`: the
// failure lab (bench/lab/) alone. It is the bench's `lab` scenario, so it prints, writes and
// handles Ctrl-C exactly as `bench` does, into the same kind of results file.
//
// Which cells: `--faults` runs those faults on every chosen runner they apply to; without it,
// `full` runs every fault and `quick` the few cells that teach the most (also part of `npm start`).

import type { Command } from 'commander';
import { faultIds } from '../../../bench/lab/faults/index.ts';
import { BenchArgumentError } from '../../errors.ts';
import { runnerIds } from '../../runners/registry.ts';
import { benchCommand } from './bench.ts';

interface LabFlags {
  readonly runners?: string;
  readonly faults?: string;
  readonly profile: string;
  readonly out?: string;
}

const list = (value: string | undefined) => value?.split(',').map((s) => s.trim()).filter((s) => s !== '');

export function registerLab(program: Command): void {
  program
    .command('lab')
    .description('the failure lab: every fault against every runner, counted from a ledger, beside what each runner declares')
    .option('--runners <ids>', `comma-separated runner ids (default: all: ${runnerIds.join(', ')})`)
    .option('--faults <ids>', `comma-separated: ${faultIds.join(', ')} (default: all in full, a teaching subset in quick)`)
    .option('--profile <name>', 'quick (a few cells, under a minute) or full (every cell, a few minutes)', 'full')
    .option('--out <file>', 'results file (default: bench/results/<timestamp>-<profile>.json)')
    .action(async (flags: LabFlags) => {
      const faults = list(flags.faults);
      for (const fault of faults ?? []) if (!faultIds.includes(fault)) throw new BenchArgumentError('fault', fault, faultIds);
      await benchCommand({
        runners: flags.runners ?? runnerIds.join(','),
        scenarios: 'lab',
        profile: flags.profile,
        ...(flags.out === undefined ? {} : { out: flags.out }),
        ...(faults === undefined ? {} : { labFaults: faults }),
      });
    });
}
