// The effect ledger: the oracle the fault tests and the failure lab count from. It lives
// outside every queue under test, so a store that loses jobs cannot also lose the evidence.
//
// How it works: an append-only text file, one record a line:
//   <kind> <uuid> <pid> <thread> <attempt> <at>
// keyed by a uuid the caller puts in the job's data (never a runner's job id: BullMQ's ids
// restart from 1 when a Redis without persistence restarts). The submitter writes `submit`
// once a runner has accepted the job, `reject` when submit threw, and `fail` when the runner
// reports the job failed for good; the `recorded` catalogue job (src/jobs/catalogue.ts)
// writes `start`, then `finish` (its effect). Because
// the path travels in the job's data, the same job records from the caller's event loop, a
// worker thread or another process alike.
// Each record is one write(2) to a file opened O_APPEND, so lines from many processes never
// interleave, and a record survives the SIGKILL of the process that wrote it: it is in the
// kernel's page cache as soon as write returns. Not fsynced, on purpose: an fsync costs about
// 3 ms on the machines this kit is measured on, which would throttle the very jobs the ledger
// counts (and block their event loop), and it only guards against an OS crash or power cut,
// which no fault the kit can cause on one machine is.

import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import type { Json } from '../contract.ts';

export const RECORD_KINDS = ['submit', 'reject', 'start', 'finish', 'fail'] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];

export interface LedgerRecord {
  readonly kind: RecordKind;
  readonly uuid: string;
  readonly pid: number;
  readonly thread: number;
  readonly attempt: number;
  /** Wall-clock ms (sub-ms precision), comparable across processes on one machine. */
  readonly at: number;
}

function line(kind: RecordKind, uuid: string, attempt: number): string {
  if (/\s/.test(uuid) || uuid === '') throw new Error(`ledger uuid must be one word, got ${JSON.stringify(uuid)}`);
  const at = performance.timeOrigin + performance.now();
  return `${kind} ${uuid} ${process.pid} ${threadId} ${attempt} ${at.toFixed(3)}\n`;
}

/** Appends one record. Throws if the file cannot be written: a lost record is a wrong count. */
export function appendRecord(path: string, kind: RecordKind, uuid: string, attempt = 0): void {
  appendFileSync(path, line(kind, uuid, attempt));
}

/** Appends many records of one kind in one write (a submitter's batch). */
export function appendRecords(path: string, kind: RecordKind, uuids: readonly string[]): void {
  if (uuids.length > 0) appendFileSync(path, uuids.map((uuid) => line(kind, uuid, 0)).join(''));
}

/** Every record in the file, in write order; a missing file is an empty ledger. */
export function readLedger(path: string): LedgerRecord[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return [];
  }
  const records: LedgerRecord[] = [];
  for (const line of text.split('\n')) {
    const [kind, uuid, pid, thread, attempt, at] = line.split(' ');
    // A torn last line (the writer killed mid-write) has fewer fields: it is not a record.
    if (at === undefined || uuid === undefined || !(RECORD_KINDS as readonly string[]).includes(kind ?? '')) continue;
    records.push({ kind: kind as RecordKind, uuid, pid: Number(pid), thread: Number(thread), attempt: Number(attempt), at: Number(at) });
  }
  return records;
}

/** What became of one submitted job once a case is over. */
export type Outcome = 'done once' | 'done more than once' | 'failed' | 'still stored' | 'lost' | 'rejected at submit';

export interface Outcomes {
  /** Jobs counted: every uuid submitted (accepted or rejected). */
  readonly submitted: number;
  /** Its effect happened once. */
  readonly doneOnce: number;
  /** Its effect happened more than once (at-least-once delivery made visible). */
  readonly duplicated: number;
  /** doneOnce + duplicated. */
  readonly done: number;
  /** No effect, and the job failed where the runner could tell someone (a `fail` record). */
  readonly failed: number;
  /** No effect yet, and the store still holds it: a later worker will run it. */
  readonly stored: number;
  /** Accepted, no effect, not failed, not stored: gone. */
  readonly lost: number;
  /** The runner refused it at submit: the caller was told. */
  readonly rejected: number;
  /** Effects of uuids nobody submitted: always 0 unless the harness itself is wrong. */
  readonly unexpected: number;
  readonly byUuid: ReadonlyMap<string, Outcome>;
}

export interface OutcomeOptions {
  /** The submitted uuids, when the submitter did not write `submit` records (tests). */
  readonly uuids?: Iterable<string>;
  /** uuids the store still holds (waiting, delayed, active), read from the store after the case. */
  readonly stored?: ReadonlySet<string>;
  /** uuids the store holds as failed for good: the queue reports them, though no job wrote `fail`. */
  readonly failed?: ReadonlySet<string>;
}

/** Sorts every submitted job into exactly one Outcome. */
export function outcomes(records: readonly LedgerRecord[], options: OutcomeOptions = {}): Outcomes {
  const submitted = new Set<string>(options.uuids ?? []);
  const rejected = new Set<string>();
  const finishes = new Map<string, number>();
  const failed = new Set<string>();
  for (const r of records) {
    if (r.kind === 'submit') submitted.add(r.uuid);
    else if (r.kind === 'reject') rejected.add(r.uuid);
    else if (r.kind === 'finish') finishes.set(r.uuid, (finishes.get(r.uuid) ?? 0) + 1);
    else if (r.kind === 'fail') failed.add(r.uuid);
  }
  const byUuid = new Map<string, Outcome>();
  const count: Record<Outcome, number> = { 'done once': 0, 'done more than once': 0, failed: 0, 'still stored': 0, lost: 0, 'rejected at submit': 0 };
  for (const uuid of new Set([...submitted, ...rejected])) {
    const n = finishes.get(uuid) ?? 0;
    let outcome: Outcome;
    if (rejected.has(uuid) && !submitted.has(uuid)) outcome = 'rejected at submit';
    else if (n === 1) outcome = 'done once';
    else if (n > 1) outcome = 'done more than once';
    else if (options.stored?.has(uuid) === true) outcome = 'still stored';
    else if (failed.has(uuid) || options.failed?.has(uuid) === true) outcome = 'failed';
    else outcome = 'lost';
    byUuid.set(uuid, outcome);
    count[outcome]++;
  }
  let unexpected = 0;
  for (const uuid of finishes.keys()) if (!byUuid.has(uuid)) unexpected++;
  return {
    submitted: byUuid.size,
    doneOnce: count['done once'],
    duplicated: count['done more than once'],
    done: count['done once'] + count['done more than once'],
    failed: count.failed,
    stored: count['still stored'],
    lost: count.lost,
    rejected: count['rejected at submit'],
    unexpected,
    byUuid,
  };
}

export interface Ledger {
  readonly path: string;
  records(): LedgerRecord[];
  /** uuid → how many times its effect (`finish`) was recorded. */
  counts(): Map<string, number>;
  outcomes(options?: OutcomeOptions): Outcomes;
  /** Records a submit that the runner accepted. */
  submitted(uuid: string): void;
  /** Records a submit that the runner refused. */
  rejected(uuid: string): void;
  /** The data of a `recorded` job that runs `job` with `data` and records to this ledger. */
  recorded(uuid: string, job: string, data: Json, effect?: 'before' | 'after'): Json;
  /** Deletes the file and its folder. */
  remove(): void;
}

/** A ledger in a fresh temp folder (or at `path`, which the caller then owns). */
export function createLedger(path?: string): Ledger {
  const dir = path === undefined ? mkdtempSync(join(tmpdir(), 'need-a-queue-ledger-')) : undefined;
  const file = path ?? join(dir ?? '', 'ledger.log');
  const records = () => readLedger(file);
  return {
    path: file,
    records,
    counts() {
      const counts = new Map<string, number>();
      for (const r of records()) if (r.kind === 'finish') counts.set(r.uuid, (counts.get(r.uuid) ?? 0) + 1);
      return counts;
    },
    outcomes: (options) => outcomes(records(), options),
    submitted: (uuid) => appendRecord(file, 'submit', uuid),
    rejected: (uuid) => appendRecord(file, 'reject', uuid),
    recorded: (uuid, job, data, effect) => ({ ledger: file, uuid, job, data, ...(effect === undefined ? {} : { effect }) }),
    remove: () => rmSync(dir ?? file, { recursive: true, force: true }),
  };
}
