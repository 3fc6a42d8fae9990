// The process under test in the failure lab: one runner in a real child process, so that a
// SIGKILL, a SIGTERM or a crash happens to a real process and not to a simulation of one.
//
// How it works: commands arrive as JSON lines on stdin, one answer per command as a JSON line
// on stdout (`{"ok":...}` or `{"error":...}`); lab/child-control.ts is the other end.
//   open     {runner, options, module?}   a fresh runner (the previous one stopped first);
//                                         `module` names a file exporting createRunner, for a
//                                         test double that is registered nowhere else
//   submit   {ledger, jobs, inFlight?}    submits the jobs, at most `inFlight` at once, and
//                                         records each in the ledger: `submit` once accepted,
//                                         `reject` when submit threw
//   overload {ledger, inner, ratePerSecond, durationMs, inFlight}
//                                         offers `recorded` jobs running `inner` on a fixed
//                                         schedule; a submit that waits (backpressure) makes
//                                         it fall behind
//   memory                                this process's rss and heap
//   stop     {drain, timeoutMs}           the runner's StopReport
// A final `failed` event of a job this process submitted is recorded as `fail`: the runner
// told someone (onError, a rejected ticket). Not once a stop has begun: a job a stop abandons
// is lost, not failed, whatever the runner calls it. SIGTERM stops the runner gracefully (drain, with the deadline
// given in NAQ_LAB_DRAIN_MS), prints the report and exits 0.

import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import type { Json, Runner, RunnerOptions, SubmitOptions } from '../../src/contract.ts';
import { appendRecord, appendRecords } from '../../src/ledger/ledger.ts';
import { createRunner } from '../../src/runners/registry.ts';

export interface LabJob {
  readonly uuid: string;
  readonly job: string;
  readonly data: Json;
  readonly options?: SubmitOptions;
}

export type LabCommand =
  | { readonly op: 'open'; readonly runner: string; readonly options: RunnerOptions; readonly module?: string }
  | { readonly op: 'submit'; readonly ledger: string; readonly jobs: readonly LabJob[]; readonly inFlight?: number }
  | { readonly op: 'overload'; readonly ledger: string; readonly inner: { readonly job: string; readonly data: Json }; readonly ratePerSecond: number; readonly durationMs: number; readonly inFlight: number }
  | { readonly op: 'memory' }
  | { readonly op: 'stop'; readonly drain: boolean; readonly timeoutMs: number };

export interface SubmitAnswer {
  readonly accepted: number;
  readonly rejected: number;
  readonly ms: number;
  /** The first rejection's message, so a cell can say why. */
  readonly firstError?: string;
}

export interface OverloadAnswer extends SubmitAnswer {
  readonly offered: number;
  /** Jobs due by the schedule that were never attempted: how far backpressure held the producer back. */
  readonly behind: number;
}

let runner: Runner | undefined;
let ledgerPath: string | undefined;
let stopping = false;
// Ticket ids to uuids, for recording the runner's `failed` events.
const uuidOf = new Map<string, string>();
const failedEarly = new Map<string, number>();

function answer(value: Record<string, Json>): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

async function open(command: Extract<LabCommand, { op: 'open' }>): Promise<void> {
  stopping = true;
  await runner?.stop({ drain: false });
  stopping = false;
  uuidOf.clear();
  const make = command.module === undefined ? createRunner : ((await import(command.module)) as { createRunner: typeof createRunner }).createRunner;
  // Errors with no caller (fire-and-forget, stage) are expected here: the failure is recorded.
  runner = await make(command.runner, { ...command.options, onError: () => undefined });
  runner.onEvent((event) => {
    if (event.type !== 'failed' || ledgerPath === undefined || stopping) return;
    const uuid = uuidOf.get(event.jobId);
    if (uuid === undefined) failedEarly.set(event.jobId, event.attempt);
    else appendRecord(ledgerPath, 'fail', uuid, event.attempt);
  });
}

async function submitOne(ledger: string, job: LabJob, accepted: string[]): Promise<string | undefined> {
  if (runner === undefined) throw new Error('no runner: send `open` first');
  try {
    const ticket = await runner.submit(job.job, job.data, job.options);
    uuidOf.set(ticket.id, job.uuid);
    accepted.push(job.uuid);
    const early = failedEarly.get(ticket.id);
    if (early !== undefined) appendRecord(ledger, 'fail', job.uuid, early);
    return undefined;
  } catch (error) {
    appendRecord(ledger, 'reject', job.uuid);
    return error instanceof Error ? error.message : String(error);
  }
}

async function submit(command: Extract<LabCommand, { op: 'submit' }>): Promise<SubmitAnswer> {
  ledgerPath = command.ledger;
  const t0 = performance.now();
  const accepted: string[] = [];
  let rejected = 0;
  let firstError: string | undefined;
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < command.jobs.length) {
      const job = command.jobs[next++]!;
      const error = await submitOne(command.ledger, job, accepted);
      if (error !== undefined) {
        rejected++;
        firstError ??= error;
      }
      // Accepted jobs are recorded in batches: one write per few, not one per job.
      if (accepted.length >= 64) appendRecords(command.ledger, 'submit', accepted.splice(0));
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, command.inFlight ?? 1) }, lane));
  const count = command.jobs.length - rejected;
  appendRecords(command.ledger, 'submit', accepted);
  return { accepted: count, rejected, ms: performance.now() - t0, ...(firstError === undefined ? {} : { firstError }) };
}

async function overload(command: Extract<LabCommand, { op: 'overload' }>): Promise<OverloadAnswer> {
  ledgerPath = command.ledger;
  const t0 = performance.now();
  const end = t0 + command.durationMs;
  const accepted: string[] = [];
  let attempted = 0;
  let rejected = 0;
  let firstError: string | undefined;
  const due = () => Math.min(Math.floor(((performance.now() - t0) / 1000) * command.ratePerSecond), Math.floor((command.durationMs / 1000) * command.ratePerSecond));
  const lane = async (): Promise<void> => {
    while (performance.now() < end) {
      if (attempted >= due()) {
        await new Promise((resolve) => setTimeout(resolve, 2));
        continue;
      }
      attempted++;
      const uuid = randomUUID();
      const data = { ledger: command.ledger, uuid, job: command.inner.job, data: command.inner.data };
      const error = await submitOne(command.ledger, { uuid, job: 'recorded', data }, accepted);
      if (error !== undefined) {
        rejected++;
        firstError ??= error;
      }
      if (accepted.length >= 64) appendRecords(command.ledger, 'submit', accepted.splice(0));
    }
  };
  await Promise.all(Array.from({ length: command.inFlight }, lane));
  appendRecords(command.ledger, 'submit', accepted);
  const offered = Math.floor((command.durationMs / 1000) * command.ratePerSecond);
  return { offered, accepted: attempted - rejected, rejected, behind: Math.max(0, offered - attempted), ms: performance.now() - t0, ...(firstError === undefined ? {} : { firstError }) };
}

async function handle(command: LabCommand): Promise<Record<string, Json>> {
  switch (command.op) {
    case 'open':
      await open(command);
      return { ok: 'open' };
    case 'submit':
      return { ok: 'submit', ...(await submit(command)) };
    case 'overload':
      return { ok: 'overload', ...(await overload(command)) };
    case 'memory': {
      const m = process.memoryUsage();
      return { ok: 'memory', rss: m.rss, heapUsed: m.heapUsed };
    }
    case 'stop': {
      stopping = true;
      const report = await (runner?.stop({ drain: command.drain, timeoutMs: command.timeoutMs }) ?? { finished: 0, abandoned: 0, stored: 0 });
      runner = undefined;
      return { ok: 'stop', ...report };
    }
  }
}

process.once('SIGTERM', () => {
  stopping = true;
  const timeoutMs = Number(process.env.NAQ_LAB_DRAIN_MS ?? 5000);
  void (runner?.stop({ drain: true, timeoutMs }) ?? Promise.resolve({ finished: 0, abandoned: 0, stored: 0 })).then(
    (report) => {
      answer({ ok: 'stopped', ...report });
      process.exit(0);
    },
    (error: unknown) => {
      answer({ error: `stop failed: ${String(error)}` });
      process.exit(1);
    },
  );
});

const lines = createInterface({ input: process.stdin });
// One command at a time, in order: the parent waits for each answer anyway.
let queue = Promise.resolve();
lines.on('line', (text) => {
  queue = queue.then(async () => {
    try {
      answer(await handle(JSON.parse(text) as LabCommand));
    } catch (error) {
      answer({ error: error instanceof Error ? error.message : String(error) });
    }
  });
});
// The parent went away (its stdin end closed): nothing will ever ask this process anything again.
lines.once('close', () => void queue.then(() => process.exit(0)));
answer({ ok: 'ready', pid: process.pid });
