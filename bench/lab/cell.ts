// The shapes a fault is written in, and the waits every fault shares.
//
// A fault runs one case against one runner (a cell of the matrix) and returns what the ledger
// and the store say happened, plus the few facts its expectation needs. Its expectation says,
// from the runner's declared traits, what should have happened, and why in one line; the lab
// stores both, and the matrix flags a cell where they disagree.

import { randomUUID } from 'node:crypto';
import type { Json, SubmitOptions } from '../../src/contract.ts';
import { TimeoutError } from '../../src/errors.ts';
import type { Ledger, Outcomes } from '../../src/ledger/ledger.ts';
import type { PrivateEmbeddedPostgres, PrivateRedis, PrivateRedisOptions } from '../../src/services/index.ts';
import type { Profile } from '../types.ts';
import type { LabJob } from './child.ts';
import type { LabSubject } from './subjects.ts';

/** Servers a cell may use: the run's shared ones (recorded in the environment) or its own. */
export interface LabServices {
  redisUrl(): Promise<string>;
  databaseUrl(): Promise<string>;
  /** A redis-server of the cell's own, with the persistence it asks for; stopped with the lab. */
  privateRedis(options: PrivateRedisOptions): Promise<PrivateRedis>;
  /** An embedded PostgreSQL the cell may crash; one per lab, stopped with it. */
  restartablePostgres(): Promise<PrivateEmbeddedPostgres>;
}

export interface CellContext {
  readonly subject: LabSubject;
  readonly profile: Profile;
  readonly services: LabServices;
  readonly ledger: Ledger;
  readonly signal: AbortSignal;
  progress(message: string): void;
}

/** A number a cell measured besides the outcome counts. */
export interface Extra {
  readonly metric: string;
  readonly value: number;
  readonly unit: string;
  readonly better: 'higher' | 'lower';
}

export interface CellResult {
  readonly outcomes: Outcomes;
  readonly extras: readonly Extra[];
  /** One line, the same for every runner: the jobs, the fault, the deadlines. */
  readonly setup: string;
  /** This runner's settings: concurrency (or none), maxQueue, lock and stall durations. */
  readonly settings: string;
}

/** `metric op value`: one thing a cell should show. */
export interface Check {
  readonly metric: string;
  readonly op: '=' | '>' | '≥' | '≤';
  readonly value: number;
}

export interface Expectation {
  readonly checks: readonly Check[];
  /** One line: which trait (or option) predicts it, and how. */
  readonly reason: string;
}

export interface Fault {
  readonly id: string;
  /** One line for `--help` and the matrix legend. */
  readonly summary: string;
  /** Whether the quick profile runs it against this runner: the cells that teach the most. */
  quick(subject: LabSubject): boolean;
  /** Undefined when it applies; otherwise why not ("does not apply, because …"). */
  notApplicable(subject: LabSubject): string | undefined;
  run(context: CellContext): Promise<CellResult>;
  expect(subject: LabSubject, result: CellResult): Expectation;
}

/** The value of a metric in a result: an outcome count or an extra. */
export function valueOf(result: CellResult, metric: string): number | undefined {
  const o = result.outcomes;
  const counts: Readonly<Record<string, number>> = {
    submitted: o.submitted, 'done once': o.doneOnce, 'done more than once': o.duplicated, done: o.done,
    failed: o.failed, 'still stored': o.stored, lost: o.lost, 'rejected at submit': o.rejected,
  };
  return counts[metric] ?? result.extras.find((e) => e.metric === metric)?.value;
}

export function holds(check: Check, value: number | undefined): boolean {
  if (value === undefined) return false;
  switch (check.op) {
    case '=': return value === check.value;
    case '>': return value > check.value;
    case '≥': return value >= check.value;
    case '≤': return value <= check.value;
  }
}

export const describeCheck = (c: Check): string => `${c.metric} ${c.op} ${c.value}`;

/** `n` recorded jobs running `job` with `data`, each under a fresh uuid. */
export function recordedJobs(ledger: Ledger, n: number, job: string, data: Json, options?: SubmitOptions): LabJob[] {
  return Array.from({ length: n }, () => {
    const uuid = randomUUID();
    return { uuid, job: 'recorded', data: ledger.recorded(uuid, job, data), ...(options === undefined ? {} : { options }) };
  });
}

/**
 * Polls until `ready()` is true; resolves false at the deadline. Throws on abort (Ctrl-C):
 * the cell stops where it is and the lab keeps what finished.
 */
export async function waitUntil(ready: () => boolean | Promise<boolean>, timeoutMs: number, signal: AbortSignal, intervalMs = 25): Promise<boolean> {
  const end = performance.now() + timeoutMs;
  for (;;) {
    if (signal.aborted) throw new LabInterruptedError();
    if (await ready()) return true;
    if (performance.now() >= end) return false;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

export async function pause(ms: number, signal: AbortSignal): Promise<void> {
  await waitUntil(() => false, ms, signal, Math.min(ms, 50));
}

/** Like waitUntil, but a missed deadline is an error naming what did not happen. */
export async function mustWait(ready: () => boolean | Promise<boolean>, timeoutMs: number, signal: AbortSignal, what: string): Promise<void> {
  if (!(await waitUntil(ready, timeoutMs, signal))) throw new TimeoutError(what, timeoutMs);
}

export class LabInterruptedError extends Error {
  override name = 'LabInterruptedError';
  constructor() {
    super('interrupted');
  }
}

/** Counts from the ledger, for the uuids of this cell only. */
export function finishedCount(ledger: Ledger, uuids: ReadonlySet<string>): number {
  let n = 0;
  for (const r of ledger.records()) if (r.kind === 'finish' && uuids.has(r.uuid)) n++;
  return n;
}

/** Jobs started and not (yet) finished or failed: what is in flight right now. */
export function inFlight(ledger: Ledger): number {
  const open = new Map<string, number>();
  for (const r of ledger.records()) {
    if (r.kind === 'start') open.set(r.uuid, (open.get(r.uuid) ?? 0) + 1);
    else if (r.kind === 'finish' || r.kind === 'fail') open.set(r.uuid, (open.get(r.uuid) ?? 0) - 1);
  }
  let n = 0;
  for (const v of open.values()) if (v > 0) n++;
  return n;
}
