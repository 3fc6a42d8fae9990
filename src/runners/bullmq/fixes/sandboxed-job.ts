// The job a sandbox runs: a catalogue job from the kit's envelope (`{ data, timeoutMs }`, what
// the kit's BullMQ runners store), on the sandbox's own thread, so the parent Worker's event
// loop stays free to renew the lock.
//
// How it works: BullMQ hands the sandbox a plain-JSON copy of the job (SandboxedJob) and an
// AbortSignal it fires on cancel. A `recorded` job (src/ledger) writes its effect from the
// sandbox itself, with the sandbox's pid and thread. `timeoutMs` is not enforced here: a
// CPU-bound job cannot be interrupted from its own thread; the parent ends a sandbox by killing it.

import type { SandboxedJob } from 'bullmq';
import type { Json } from '../../../contract.ts';
import { runJob } from '../../../jobs/catalogue.ts';
import type { Envelope } from '../attempt.ts';

export default async function processSandboxed(job: SandboxedJob<Envelope, Json>, _token?: string, signal?: AbortSignal): Promise<Json> {
  const attempt = job.attemptsMade + 1;
  const { data } = job.data;
  return runJob(job.name, data, { attempt, signal: signal ?? new AbortController().signal });
}
