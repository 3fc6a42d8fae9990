// The job a sandbox runs: a catalogue job as the kit's BullMQ runners (and plain BullMQ)
// store it, name and data, on the sandbox's own thread, so the parent Worker's event loop
// stays free to renew the lock.
//
// How it works: BullMQ hands the sandbox a plain-JSON copy of the job (SandboxedJob) and an
// AbortSignal it fires on cancel. A `recorded` job (src/ledger) writes its effect from the
// sandbox itself, with the sandbox's pid and thread. `timeoutMs` is not enforced here: a
// CPU-bound job cannot be interrupted from its own thread; the parent ends a sandbox by killing it.

import type { SandboxedJob } from 'bullmq';
import type { Json } from '../../../contract.ts';
import { runJob } from '../../../jobs/catalogue.ts';
import { catalogueData } from '../attempt.ts';

export default async function processSandboxed(job: SandboxedJob<Json, Json>, _token?: string, signal?: AbortSignal): Promise<Json> {
  const attempt = job.attemptsMade + 1;
  return runJob(job.name, catalogueData(job), { attempt, signal: signal ?? new AbortController().signal });
}
