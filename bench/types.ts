// The shapes bench/ is built from. A scenario measures subjects (runner ids or raw baselines)
// and returns measurements; the harness repeats, summarises, records and prints them.
// Owned by the bench harness; scenarios and baselines written elsewhere implement these.

import type { Json } from '../src/contract.ts';

export type Profile = 'quick' | 'full';

/** Lazily started services: a scenario asks only for what its subjects need. */
export interface BenchServices {
  redisUrl(): Promise<string>;
  databaseUrl(): Promise<string>;
}

export interface BenchContext {
  readonly profile: Profile;
  /** Runner ids and baseline ids chosen for this run. */
  readonly subjects: readonly string[];
  readonly services: BenchServices;
  /** One short line of progress for the live display. */
  progress(message: string): void;
  /** Fires on Ctrl-C: stop early, return what finished. */
  readonly signal: AbortSignal;
  /**
   * Records that `subject` could not be measured here, with why and how to enable it: the
   * table shows it as a row, so nothing is skipped silently. A scenario that ignores a
   * subject it does not apply to (scale-out and in-process runners) need not call this.
   * `case_` narrows it to one case (the lab: one fault that does not apply to a runner).
   */
  skip(subject: string, reason: string, fix: string, case_?: string): void;
  /** The failure lab's faults (`need-a-queue lab --faults`); the profile's choice when absent. */
  readonly labFaults?: readonly string[];
  /** Raw baselines chosen for this run, by id (also listed in `subjects`). */
  readonly baselines: readonly ThroughputBaseline[];
}

/** One figure from one scenario for one subject, with every repeat kept. */
export interface Measurement {
  readonly scenario: string;
  readonly subject: string;
  /** e.g. `noop c=50`, `rate=500/s`. */
  readonly case: string;
  /** e.g. `jobs/s`, `p99 submit→done`. */
  readonly metric: string;
  readonly unit: string;
  /** Which way is better, so compare knows a regression from an improvement. */
  readonly better: 'higher' | 'lower';
  /** One value per repeat. */
  readonly samples: readonly number[];
  /** Anything the reader needs to interpret the figure. */
  readonly notes?: Json;
}

export interface Scenario {
  readonly name: string;
  readonly summary: string;
  run(context: BenchContext): Promise<Measurement[]>;
}

/** A raw baseline: the library used directly, no kit code, measured beside the runners. */
export interface ThroughputBaseline {
  readonly id: string;
  /** Drains `jobs` jobs at `concurrency` and returns the elapsed milliseconds. */
  drain(args: {
    readonly job: 'noop' | 'sleep' | 'cpu';
    readonly data: Json;
    readonly jobs: number;
    readonly concurrency: number;
    readonly services: BenchServices;
  }): Promise<number>;
  /**
   * The runner this is the raw form of (`bullmq-raw-redis` → `bullmq-redis`). When both are
   * measured, throughput drains the same number of jobs on each and alternates their samples,
   * so a machine that gets busier part-way slows both sides of the ratio alike.
   */
  readonly pairedWith?: string;
  /** Frees what drain() kept between calls (a stored queue, a thread pool); called once its cases are done. */
  close?(): Promise<void>;
  /**
   * For the memory scenario, a library that keeps waiting jobs in this process (p-queue): its
   * line at `concurrency`, filled the way its users fill it. Absent: no memory figure.
   */
  hold?(concurrency: number): PendingLine;
  /**
   * A floor kept for one ratio (p-queue-bare: the catalogue's cost per noop job): measured on
   * these throughput jobs only, and in no other scenario. Absent: every case, every scenario.
   */
  readonly onlyJobs?: readonly ('noop' | 'sleep' | 'cpu')[];
}

/** Jobs handed to a library's own line, for the memory scenario's child process. */
export interface PendingLine {
  /** Resolves once the library has accepted the job (not when it has run). */
  submit(job: 'noop' | 'sleep' | 'cpu', data: Json): Promise<unknown>;
  /** Drops every job still waiting, so the child can exit. */
  clear(): void;
}

/** A tinybench case. `batch` operations per call, so sub-microsecond work is timed fairly. */
export interface MicroCase {
  readonly name: string;
  /** Name of the raw case this one is compared with, when it has one. */
  readonly baselineOf?: string;
  readonly batch: number;
  fn(): unknown;
}

export interface MicroSuite {
  readonly name: string;
  setup(): Promise<{ readonly cases: readonly MicroCase[]; teardown(): Promise<void> }>;
}
