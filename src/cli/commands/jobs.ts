// `need-a-queue jobs`: the job catalogue, one line a job.

import type { Command } from 'commander';
import { catalogue, jobNames } from '../../jobs/catalogue.ts';
import { formatTable } from '../format-table.ts';

export function registerJobs(program: Command): void {
  program
    .command('jobs')
    .description('list the jobs every runner can run')
    .action(() => {
      process.stdout.write(formatTable([['job', 'what it does'], ...jobNames.map((name) => [name, catalogue[name].summary])]));
    });
}
