// `need-a-queue bench [--runners a,b] [--scenarios x,y] [--profile quick|full] [--out FILE]`:
// measures every registered runner (and every raw baseline) through bench/harness.ts, prints
// the tables and writes one results file. A live bar on a terminal; plain lines when stdout is
// not a TTY or CI is set. Ctrl-C stops the current scenario, and what finished is written.

import type { Command } from 'commander';
import { SingleBar } from 'cli-progress';
import { previousDurations, progressLine, timeLeftMs } from '../bench-progress.ts';
import { findBaselines } from '../../../bench/discover.ts';
import { runBench } from '../../../bench/harness.ts';
import { printResultsTable } from '../../../bench/print.ts';
import { reportFileFor, writeReport } from '../../../bench/report/render.ts';
import { defaultScenarios, isScenarioName, scenarioNames } from '../../../bench/scenarios/index.ts';
import type { Profile } from '../../../bench/types.ts';
import { BenchArgumentError, UnknownRunnerError } from '../../errors.ts';
import { isRunnerId, runnerIds } from '../../runners/registry.ts';

const profiles: readonly Profile[] = ['quick', 'full'];

const list = (value: string | undefined) => value?.split(',').map((s) => s.trim()).filter((s) => s !== '');

export interface BenchFlags {
  readonly runners?: string;
  readonly scenarios?: string;
  readonly profile: string;
  readonly out?: string;
  /** The failure lab's faults (`need-a-queue lab --faults`), already checked. */
  readonly labFaults?: readonly string[];
}

export function register(program: Command): void {
  program
    .command('bench')
    .description('measure every runner and raw baseline: throughput, latency, event-loop lag, a web server beside the jobs, memory, micro costs')
    .option('--runners <ids>', `comma-separated runner or baseline ids (default: all runners and baselines)`)
    .option('--scenarios <names>', `comma-separated: ${scenarioNames.join(', ')} (default: all; scale-out only in full)`)
    .option('--profile <name>', 'quick (about two minutes on 2 cores, with the failure lab\'s quick cells) or full (the published figures, about half an hour)', 'quick')
    .option('--out <file>', 'results file (default: bench/results/<timestamp>-<profile>.json)')
    .action(async (flags: BenchFlags) => {
      await benchCommand(flags);
    });
}

/** Same as `register`, under the name the other command modules use. */
export const registerBench = register;

/** Runs, prints and writes one bench; `lab` (commands/lab.ts) is this with the lab's scenario. */
export async function benchCommand(flags: BenchFlags): Promise<void> {
  if (!profiles.includes(flags.profile as Profile)) throw new BenchArgumentError('profile', flags.profile, profiles);
  const profile = flags.profile as Profile;
  const allBaselines = await findBaselines();
  const baselineIds = allBaselines.map((b) => b.id);
  const asked = list(flags.runners);
  for (const id of asked ?? []) if (!isRunnerId(id) && !baselineIds.includes(id)) throw new UnknownRunnerError(id, [...runnerIds, ...baselineIds]);
  const scenarios = list(flags.scenarios) ?? defaultScenarios(profile);
  for (const name of scenarios) if (!isScenarioName(name)) throw new BenchArgumentError('scenario', name, scenarioNames);

  const runners = asked === undefined ? runnerIds : asked.filter(isRunnerId);
  const baselines = asked === undefined ? allBaselines : allBaselines.filter((b) => asked.includes(b.id));

  const controller = new AbortController();
  // The listener stays for the whole run: while it is there, the private servers' cleanup
  // (src/services/cleanup.ts) leaves them up for the graceful stop. Removing it on the first
  // Ctrl-C let the cleanup take the signal as unhandled and end the process mid-write.
  // A second Ctrl-C quits at once, but only a second from the user: npm or a wrapper may relay
  // the terminal's one SIGINT again a moment after the process got it itself.
  const live = process.stdout.isTTY && process.env.CI !== 'true' && process.env.CI !== '1';
  // The bar redraws its line in place; anything else written while it runs lands mid-line
  // (`9cbaa62360inishing the current step…`). So it is stopped, and its line cleared, before
  // any other line, and from then on progress is plain lines.
  let bar = live ? new SingleBar({ format: '{bar} {line} · {step}', hideCursor: true, clearOnComplete: true, barsize: 20 }) : undefined;
  const stopBar = () => {
    bar?.stop();
    bar = undefined;
  };
  const estimates = previousDurations(profile, [...runners, ...baselines.map((b) => b.id)]);
  const t0 = performance.now();
  let scenarioIndex = 0;
  let scenarioStarted = t0;
  const line = () => progressLine(scenarios, scenarioIndex, performance.now() - t0, timeLeftMs(scenarios, scenarioIndex, performance.now() - scenarioStarted, estimates));
  // The elapsed time moves on between progress messages, too.
  const ticker = bar === undefined ? undefined : setInterval(() => bar?.update({ line: line() }), 1000);
  ticker?.unref();

  let firstSigint = 0;
  const onSigint = () => {
    if (controller.signal.aborted && performance.now() - firstSigint < 1000) return;
    stopBar();
    if (controller.signal.aborted) {
      process.stderr.write('\nquitting at once: nothing more is written\n');
      process.exit(130);
    }
    process.stderr.write('\nstopping: finishing the current step, then writing what finished (Ctrl-C again to quit at once)\n');
    firstSigint = performance.now();
    controller.abort();
  };
  process.on('SIGINT', onSigint);

  try {
    const { results, file } = await runBench({
      runners,
      baselines,
      ...(flags.labFaults === undefined ? {} : { labFaults: flags.labFaults }),
      scenarios,
      profile,
      ...(flags.out === undefined ? {} : { out: flags.out }),
      signal: controller.signal,
      onScenario: (name, index, total) => {
        scenarioIndex = index;
        scenarioStarted = performance.now();
        if (bar) {
          if (index === 0) bar.start(total, 0, { line: line(), step: name });
          else bar.update(index, { line: line(), step: name });
        } else process.stdout.write(`[${line()}]\n`);
      },
      progress: (message) => {
        if (bar) bar.update({ line: line(), step: message });
        else process.stdout.write(`  ${message}\n`);
      },
    });
    stopBar();
    printResultsTable(results);
    const report = file === undefined ? undefined : writeReport(results, reportFileFor(file));
    const took = Object.entries(results.scenarioDurationsMs ?? {}).map(([name, ms]) => `${name} ${(ms / 1000).toFixed(0)} s`).join(', ');
    // Interrupted: the file is written, and the exit code still says the run was cut short.
    if (!results.complete) process.exitCode = 130;
    process.stdout.write(`\n${results.complete ? 'done' : 'interrupted'} in ${((performance.now() - t0) / 1000).toFixed(1)} s (${took}); results: ${file ?? '(not written)'}\n`);
    if (report !== undefined) process.stdout.write(`charts and tables: open ${report} in a browser\n`);
  } finally {
    if (ticker !== undefined) clearInterval(ticker);
    stopBar();
    process.removeListener('SIGINT', onSigint);
  }
}
