// The bench harness: runs the chosen scenarios over the chosen subjects (runner ids from the
// registry plus raw baselines by id), summarises every figure (median, min, max, noisy) and
// writes one results file validated against the schema.
//
// How it works: services start lazily through the service hub, only when a subject needs one,
// and their versions go into the environment. Scenarios run one after another; Ctrl-C (the
// signal) makes the current scenario return early, and what finished is still written, marked
// `complete: false`. Subjects that cannot run become `skipped` rows with the fix.

import { createServiceHub } from '../src/services/index.ts';
import type { PostgresEndpoint, RedisEndpoint } from '../src/services/index.ts';
import { describeEnvironment, defaultResultsFile, withSummary, writeResults, SCHEMA_VERSION, type BenchResults, type Skipped, type SummarizedMeasurement } from './results.ts';
import { findBaselines } from './discover.ts';
import { loadScenario } from './scenarios/index.ts';
import type { BenchContext, BenchServices, Profile, ThroughputBaseline } from './types.ts';
import { messageOf } from '../src/errors.ts';

export interface RunBenchOptions {
  /** Runner ids and baseline ids, in display order. */
  readonly runners: readonly string[];
  /** Raw baselines to measure beside the runners. Default: every one in bench/baselines/. */
  readonly baselines?: readonly ThroughputBaseline[];
  readonly scenarios: readonly string[];
  readonly profile: Profile;
  /** Where to write; default bench/results/<timestamp>-<profile>.json. `false`: do not write. */
  readonly out?: string | false;
  readonly signal: AbortSignal;
  readonly progress: (message: string) => void;
  /** The failure lab's faults; see BenchContext.labFaults. */
  readonly labFaults?: readonly string[];
  /** Told when a scenario starts, with its index, so a display can show a bar. */
  readonly onScenario?: (name: string, index: number, total: number) => void;
}

export interface RunBenchOutcome {
  readonly results: BenchResults;
  readonly file?: string;
}

export async function runBench(options: RunBenchOptions): Promise<RunBenchOutcome> {
  const started = new Date();
  const hub = createServiceHub();
  let redis: RedisEndpoint | undefined;
  let postgres: PostgresEndpoint | undefined;
  const services: BenchServices = {
    async redisUrl() {
      redis = await hub.redis();
      return redis.url;
    },
    async databaseUrl() {
      postgres = await hub.postgres();
      return postgres.url;
    },
  };
  const measurements: SummarizedMeasurement[] = [];
  const skipped: Skipped[] = [];
  const scenarioDurationsMs: Record<string, number> = {};
  const baselines = options.baselines ?? (await findBaselines());
  const subjects = [...options.runners, ...baselines.map((b) => b.id)];
  try {
    for (const [index, name] of options.scenarios.entries()) {
      if (options.signal.aborted) break;
      options.onScenario?.(name, index, options.scenarios.length);
      const scenarioStarted = performance.now();
      const scenario = await loadScenario(name);
      const context: BenchContext = {
        profile: options.profile,
        subjects,
        services,
        baselines,
        signal: options.signal,
        progress: options.progress,
        skip: (subject, reason, fix, case_) => void skipped.push({ scenario: name, subject, ...(case_ === undefined ? {} : { case: case_ }), reason, fix }),
        ...(options.labFaults === undefined ? {} : { labFaults: options.labFaults }),
      };
      try {
        for (const m of await scenario.run(context)) {
          // A figure with no repeats or a non-finite value has nothing to show; never store NaN.
          if (m.samples.length > 0 && m.samples.every(Number.isFinite)) measurements.push(withSummary(m));
        }
      } catch (error) {
        const message = messageOf(error);
        const fix = error !== null && typeof error === 'object' && 'fix' in error && typeof error.fix === 'string' ? error.fix : `run \`need-a-queue bench --scenarios ${name}\` alone to see the error, and report it`;
        skipped.push({ scenario: name, subject: '*', reason: `scenario failed: ${message}`, fix });
      }
      scenarioDurationsMs[name] = Math.round(performance.now() - scenarioStarted);
    }
  } finally {
    await hub.stop();
  }
  const finished = new Date();
  const results: BenchResults = {
    schemaVersion: SCHEMA_VERSION,
    environment: describeEnvironment(options.profile, { redis, postgres }),
    startedAt: started.toISOString(),
    finishedAt: finished.toISOString(),
    durationMs: finished.getTime() - started.getTime(),
    scenarioDurationsMs,
    complete: !options.signal.aborted,
    scenarios: [...options.scenarios],
    subjects,
    measurements,
    skipped,
  };
  if (options.out === false) return { results };
  const file = writeResults(results, options.out ?? defaultResultsFile(options.profile, started));
  return { results, file };
}
