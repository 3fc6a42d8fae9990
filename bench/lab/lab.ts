// The failure lab: every fault against every runner it applies to, each counted from a ledger
// outside the runner, beside what the runner's traits predict. A scenario of the bench harness
// (`lab`), so its cells are measurements in the same results file: `compare` sees a runner that
// starts losing jobs, and the report page shows the matrix (bench/lab/matrix.ts).
//
// How it works: cells run one after another (2 cores: two at once would measure each other).
// Each gets a fresh ledger and its own queue; a fault that needs a server it may kill starts
// its own. A cell that fails is a `skipped` row saying why, not a hole; a fault that cannot
// apply to a runner is a `skipped` row saying why not. Ctrl-C ends the current cell, kills its
// processes, and the harness writes what finished.

import type { Json } from '../../src/contract.ts';
import { createLedger } from '../../src/ledger/ledger.ts';
import { isRunnerId } from '../../src/runners/registry.ts';
import { startEmbeddedPostgres, startPrivateRedis, type PrivateEmbeddedPostgres, type PrivateRedis } from '../../src/services/index.ts';
import { jsonNotes } from '../results.ts';
import type { BenchContext, Measurement, Profile, Scenario } from '../types.ts';
import { describeCheck, holds, valueOf, LabInterruptedError, type CellResult, type Fault, type LabServices } from './cell.ts';
import { killLabChildren } from './child-control.ts';
import { faults, faultIds } from './faults/index.ts';
import { labSubject, type LabSubject } from './subjects.ts';

export const LAB = 'lab';

/** The outcome counts every cell stores, in the order the matrix reads them. */
export const OUTCOME_METRICS = ['submitted', 'done once', 'done more than once', 'failed', 'still stored', 'lost', 'rejected at submit'] as const;

const BETTER: Readonly<Record<string, 'higher' | 'lower'>> = { 'done once': 'higher', submitted: 'higher' };

export interface RunLabOptions {
  readonly subjects: readonly LabSubject[];
  /** Fault ids; all of them when absent. */
  readonly faults?: readonly string[];
  readonly profile: Profile;
  /** The run's shared servers (the harness's hub): their versions go in the environment. */
  readonly services: Pick<LabServices, 'redisUrl' | 'databaseUrl'>;
  readonly signal: AbortSignal;
  progress(message: string): void;
  skip(subject: string, reason: string, fix: string, fault: string): void;
}

/** Which cells a run has: every applicable one, or in `quick` (no faults named) the ones that teach the most. */
export function chosenCells(subjects: readonly LabSubject[], faultList: readonly Fault[], profile: Profile, named: boolean): { fault: Fault; subject: LabSubject }[] {
  const cells: { fault: Fault; subject: LabSubject }[] = [];
  for (const fault of faultList) {
    for (const subject of subjects) if (named || profile === 'full' || fault.quick(subject)) cells.push({ fault, subject });
  }
  return cells;
}

export async function runLab(options: RunLabOptions): Promise<Measurement[]> {
  const chosen = options.faults === undefined ? faults : faults.filter((f) => options.faults?.includes(f.id));
  const redises: PrivateRedis[] = [];
  let postgres: Promise<PrivateEmbeddedPostgres> | undefined;
  const services: LabServices = {
    ...options.services,
    async privateRedis(persistence) {
      const redis = await startPrivateRedis(persistence);
      redises.push(redis);
      return redis;
    },
    restartablePostgres: () => (postgres ??= startEmbeddedPostgres()),
  };
  const measurements: Measurement[] = [];
  try {
    const cells = chosenCells(options.subjects, chosen, options.profile, options.faults !== undefined);
    for (const [index, { fault, subject }] of cells.entries()) {
      if (options.signal.aborted) break;
      const why = fault.notApplicable(subject);
      if (why !== undefined) {
        options.skip(subject.id, `does not apply: ${why}`, '-', fault.id);
        continue;
      }
      options.progress(`lab ${index + 1}/${cells.length}: ${fault.id} × ${subject.id}`);
      const ledger = createLedger();
      try {
        const result = await fault.run({ subject, profile: options.profile, services, ledger, signal: options.signal, progress: (message) => options.progress(message) });
        measurements.push(...toMeasurements(fault, subject, result));
      } catch (error) {
        if (error instanceof LabInterruptedError || options.signal.aborted) break;
        const message = error instanceof Error ? error.message.split('\n')[0] ?? '' : String(error);
        options.skip(subject.id, `cell failed: ${message}`, `run \`need-a-queue lab --runners ${subject.id} --faults ${fault.id}\` alone to see it again`, fault.id);
      } finally {
        await killLabChildren();
        ledger.remove();
      }
    }
  } finally {
    await killLabChildren();
    for (const redis of redises) await redis.stop().catch(() => undefined);
    if (postgres !== undefined) await (await postgres.catch(() => undefined))?.stop().catch(() => undefined);
  }
  return measurements;
}

function toMeasurements(fault: Fault, subject: LabSubject, result: CellResult): Measurement[] {
  const expectation = fault.expect(subject, result);
  const base = { scenario: LAB, subject: subject.id, case: fault.id };
  const noteFor = (metric: string): Json => {
    const checks = expectation.checks.filter((c) => c.metric === metric);
    const value = valueOf(result, metric);
    return jsonNotes({
      setup: result.setup,
      settings: result.settings,
      reason: expectation.reason,
      ...(checks.length === 0 ? {} : { expect: checks.map(describeCheck).join(' and '), agrees: checks.every((c) => holds(c, value)) }),
    });
  };
  const outcomes = OUTCOME_METRICS.map((metric): Measurement => ({
    ...base, metric, unit: 'jobs', better: BETTER[metric] ?? 'lower', samples: [valueOf(result, metric) ?? 0], notes: noteFor(metric),
  }));
  const extras = result.extras.map((e): Measurement => ({ ...base, metric: e.metric, unit: e.unit, better: e.better, samples: [e.value], notes: noteFor(e.metric) }));
  // A check on a metric the cell did not measure cannot agree: say so rather than drop it.
  const missing = expectation.checks.filter((c) => valueOf(result, c.metric) === undefined);
  if (missing.length > 0) throw new Error(`expectation names ${missing.map((c) => c.metric).join(', ')}, which ${fault.id} did not measure`);
  return [...outcomes, ...extras];
}

export const lab: Scenario = {
  name: LAB,
  summary: 'the failure lab: every fault against every runner, counted from a ledger, beside what its traits predict',
  async run(context: BenchContext) {
    const subjects = context.subjects.filter(isRunnerId).map(labSubject);
    return runLab({
      subjects,
      ...(context.labFaults === undefined ? {} : { faults: context.labFaults }),
      profile: context.profile,
      services: context.services,
      signal: context.signal,
      progress: (message) => context.progress(message),
      skip: (subject, reason, fix, fault) => context.skip(subject, reason, fix, fault),
    });
  },
};

export { faultIds };
