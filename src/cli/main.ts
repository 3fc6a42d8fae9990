// need-a-queue's command line. Wires the commands together and turns errors into exit
// codes: 2 for bad input (unknown flag, runner, job, option, a corrupt results file), 1 for
// anything else, with the error's `fix` under its message so nobody has to guess what to do next.
// Imported by nothing.

import { Command, CommanderError } from 'commander';
import { NeedAQueueError } from '../errors.ts';
import { preflight } from '../services/preflight.ts';

type Register = (program: Command) => void;

// Each command's module, loaded only when that command runs (all of them for help or a typo):
// `worker` alone loads BullMQ and `bench` the whole harness, about a second each here, and
// `runners` or `jobs` should answer at once.
const commands: Readonly<Record<string, () => Promise<Register>>> = {
  bench: async () => (await import('./commands/bench.ts')).registerBench,
  lab: async () => (await import('./commands/lab.ts')).registerLab,
  compare: async () => (await import('./commands/compare.ts')).registerCompare,
  stability: async () => (await import('./commands/stability.ts')).registerStability,
  report: async () => (await import('./commands/report.ts')).registerReport,
  site: async () => (await import('./commands/site.ts')).registerSite,
  worker: async () => (await import('./commands/worker.ts')).register,
  run: async () => (await import('./commands/run.ts')).registerRun,
  submit: async () => (await import('./commands/submit.ts')).registerSubmit,
  runners: async () => (await import('./commands/runners.ts')).registerRunners,
  jobs: async () => (await import('./commands/jobs.ts')).registerJobs,
};

/** Errors that mean "you asked for something that does not exist or cannot be": exit 2. */
const badInput = new Set(['UNKNOWN_RUNNER', 'UNKNOWN_JOB', 'INVALID_JOB_DATA', 'INVALID_OPTION', 'UNSUPPORTED_OPTION', 'LOCAL_RUNNER', 'BAD_ARGUMENT', 'RESULTS_FILE', 'SITE_SOURCE']);

/** The program with the commands `argv` needs: the one it names (plus bench for `start`), or all. */
export async function buildProgram(argv: readonly string[] = []): Promise<Command> {
  const program = new Command('need-a-queue')
    .description('Do we need background jobs in Node? Runs the same jobs on in-process runners and on BullMQ (Redis, PostgreSQL) and measures them.')
    .showHelpAfterError('(add --help for usage)')
    .exitOverride();
  program
    .command('start')
    .description('what `npm start` runs: the quick benchmark profile over every runner and baseline, the table and the results file, then the lessons site with those figures')
    .action(async () => {
      // What the system lacks, first and once; the rows it costs still say so one by one.
      const missing = preflight('npm start');
      if (missing !== undefined) process.stderr.write(`${missing}\n`);
      // One way to benchmark: `start` is `bench --profile quick` with everything selected.
      await program.parseAsync(['bench', '--profile', 'quick'], { from: 'user' });
      // The site reads the newest results file, the one just written; not after an interrupted run.
      if (process.exitCode === undefined || process.exitCode === 0) await (await import('./commands/site.ts')).buildSiteAfterStart();
    });
  const named = argv[2] === 'start' ? 'bench' : argv[2];
  const load = named === undefined ? undefined : commands[named];
  const loaders = load === undefined ? Object.values(commands) : [load];
  for (const register of await Promise.all(loaders.map((loader) => loader()))) register(program);
  return program;
}

async function main(argv: readonly string[]): Promise<number> {
  const program = await buildProgram(argv);
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are "errors" to commander; everything else is a usage mistake.
      return error.exitCode === 0 ? 0 : 2;
    }
    if (error instanceof NeedAQueueError) {
      process.stderr.write(`need-a-queue: ${error.message}\n  fix: ${error.fix}\n`);
      return badInput.has(error.code) ? 2 : 1;
    }
    process.stderr.write(`need-a-queue: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv);
