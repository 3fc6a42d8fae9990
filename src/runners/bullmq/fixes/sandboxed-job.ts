// The job a sandbox runs: a catalogue job from the kit's envelope (`{ data, timeoutMs }`, what
// the kit's BullMQ runners store), on the sandbox's own thread, so the parent Worker's event
// loop stays free to renew the lock.
//
// How it works: BullMQ hands the sandbox a plain-JSON copy of the job (SandboxedJob) and an
// AbortSignal it fires on cancel. When NAQ_SANDBOX_LEDGER names a file, each successful run
// of a job whose data carries a `uuid` appends `uuid pid attempt thread=<id>` and fsyncs it
// before the result goes back to the parent: the same effect ledger the fault tests count
// (fault-helpers.ts createLedger). `timeoutMs` is not enforced here: a CPU-bound job cannot be
// interrupted from its own thread; the parent ends a sandbox by killing it.

import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { threadId } from 'node:worker_threads';
import type { SandboxedJob } from 'bullmq';
import type { Json } from '../../../contract.ts';
import { runJob } from '../../../jobs/catalogue.ts';
import type { Envelope } from '../bullmq-runner.ts';

export const LEDGER_ENV = 'NAQ_SANDBOX_LEDGER';

function writeEffect(path: string, data: Json, attempt: number): void {
  if (data === null || typeof data !== 'object' || Array.isArray(data) || typeof data.uuid !== 'string') return;
  const fd = openSync(path, 'a');
  try {
    writeSync(fd, `${data.uuid} ${process.pid} ${attempt} thread=${threadId}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export default async function processSandboxed(job: SandboxedJob<Envelope, Json>, _token?: string, signal?: AbortSignal): Promise<Json> {
  const attempt = job.attemptsMade + 1;
  const { data } = job.data;
  const value = await runJob(job.name, data, { attempt, signal: signal ?? new AbortController().signal });
  const ledger = process.env[LEDGER_ENV];
  if (ledger !== undefined && ledger !== '') writeEffect(ledger, data, attempt);
  return value;
}
