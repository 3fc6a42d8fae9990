// The ledger sorts every submitted job into exactly one outcome, and the `recorded` job writes
// to it from wherever a runner runs it: the caller's event loop or a worker thread. (Other
// processes: the BullMQ fault tests and the failure lab count from it across SIGKILLs.)

import { appendFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { InvalidJobDataError } from '../errors.ts';
import { runJob, validateJob } from '../jobs/catalogue.ts';
import { createRunner } from '../runners/registry.ts';
import type { Runner } from '../contract.ts';
import { appendRecord, createLedger, outcomes, readLedger, type Ledger } from './ledger.ts';

const ledgers: Ledger[] = [];
const runners: Runner[] = [];
afterEach(async () => {
  await Promise.all(runners.splice(0).map((r) => r.stop({ drain: false })));
  for (const l of ledgers.splice(0)) l.remove();
});

function ledger(): Ledger {
  const l = createLedger();
  ledgers.push(l);
  return l;
}

const signal = new AbortController().signal;

describe('outcomes', () => {
  it('puts every submitted job in exactly one of six outcomes', () => {
    const l = ledger();
    for (const u of ['once', 'twice', 'failed', 'stored', 'lost']) l.submitted(u);
    l.rejected('refused');
    appendRecord(l.path, 'finish', 'once', 1);
    appendRecord(l.path, 'finish', 'twice', 1);
    appendRecord(l.path, 'finish', 'twice', 2);
    appendRecord(l.path, 'fail', 'failed', 1);
    appendRecord(l.path, 'start', 'lost', 1);
    const o = l.outcomes({ stored: new Set(['stored']) });
    expect(o).toMatchObject({ submitted: 6, doneOnce: 1, duplicated: 1, done: 2, failed: 1, stored: 1, lost: 1, rejected: 1, unexpected: 0 });
    expect(Object.fromEntries(o.byUuid)).toEqual({
      once: 'done once', twice: 'done more than once', failed: 'failed', stored: 'still stored', lost: 'lost', refused: 'rejected at submit',
    });
  });

  it('counts an effect nobody submitted as unexpected, and a retried failure that then finished as done', () => {
    const l = ledger();
    l.submitted('retried');
    appendRecord(l.path, 'fail', 'retried', 1);
    appendRecord(l.path, 'finish', 'retried', 2);
    appendRecord(l.path, 'finish', 'stranger', 1);
    expect(l.outcomes()).toMatchObject({ submitted: 1, doneOnce: 1, failed: 0, unexpected: 1 });
  });

  it('takes the submitted uuids from the caller when it wrote no submit records', () => {
    const l = ledger();
    appendRecord(l.path, 'finish', 'a', 1);
    expect(l.outcomes({ uuids: ['a', 'b'] })).toMatchObject({ submitted: 2, done: 1, lost: 1 });
  });

  it('skips a torn last line (its writer killed mid-write) and reads a missing file as empty', () => {
    const l = ledger();
    appendRecord(l.path, 'submit', 'a');
    appendFileSync(l.path, 'finish a 12');
    expect(readLedger(l.path).map((r) => r.kind)).toEqual(['submit']);
    expect(outcomes(readLedger(`${l.path}.missing`))).toMatchObject({ submitted: 0 });
  });
});

describe('the recorded job', () => {
  it('writes start then finish after its work (effect: after), with pid, thread and attempt', async () => {
    const l = ledger();
    expect(await runJob('recorded', { ledger: l.path, uuid: 'u1', job: 'sleep', data: { ms: 1 } }, { attempt: 2, signal })).toEqual({ slept: 1 });
    const records = l.records();
    expect(records.map((r) => [r.kind, r.uuid, r.attempt, r.pid])).toEqual([['start', 'u1', 2, process.pid], ['finish', 'u1', 2, process.pid]]);
    expect(records[1]!.at).toBeGreaterThanOrEqual(records[0]!.at);
  });

  it('writes its effect before the work with effect: before, and leaves a failure to the runner to report', async () => {
    const l = ledger();
    await expect(runJob('recorded', { ledger: l.path, uuid: 'u2', job: 'fail', data: { times: 1 }, effect: 'before' }, { attempt: 1, signal })).rejects.toThrow(/planned failure/);
    await expect(runJob('recorded', { ledger: l.path, uuid: 'u3', job: 'fail', data: { times: 1 } }, { attempt: 1, signal })).rejects.toThrow(/planned failure/);
    expect(l.records().map((r) => `${r.kind} ${r.uuid}`)).toEqual(['start u2', 'finish u2', 'start u3']);
  });

  it('refuses bad data at submit: no ledger, a nested recorded job, bad inner data', () => {
    expect(() => validateJob('recorded', { uuid: 'u', job: 'noop', data: null })).toThrow(InvalidJobDataError);
    expect(() => validateJob('recorded', { ledger: '/tmp/x', uuid: 'u', job: 'recorded', data: null })).toThrow(/`job` is "recorded"/);
    expect(() => validateJob('recorded', { ledger: '/tmp/x', uuid: 'two words', job: 'noop', data: null })).toThrow(/`uuid`/);
    expect(() => validateJob('recorded', { ledger: '/tmp/x', uuid: 'u', job: 'sleep', data: { ms: -1 } })).toThrow(/Bad data for job `sleep`: `ms` is/);
  });

  it('records from a worker thread as well as from the caller (worker-pool runner)', async () => {
    const l = ledger();
    const runner = await createRunner('worker-pool', { concurrency: 2 });
    runners.push(runner);
    const uuids = Array.from({ length: 6 }, () => randomUUID());
    const tickets = await Promise.all(uuids.map(async (uuid) => {
      const ticket = await runner.submit('recorded', { ledger: l.path, uuid, job: 'sleep', data: { ms: 5 } });
      l.submitted(uuid);
      return ticket;
    }));
    await Promise.all(tickets.map((t) => t.result()));
    expect(l.outcomes()).toMatchObject({ submitted: 6, doneOnce: 6, lost: 0 });
    const threads = new Set(l.records().filter((r) => r.kind === 'finish').map((r) => r.thread));
    expect(threads.has(0)).toBe(false);
  });
});
