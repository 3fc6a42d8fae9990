// Runs one catalogue job by name inside a piscina worker thread. JSON in, JSON out: nothing
// but the job's name, data and ids crosses the thread boundary.
//
// Before the job it says "started" on the runner's BroadcastChannel, so the main thread's
// `started` event marks when the job really began, not when it was queued.

import { BroadcastChannel } from 'node:worker_threads';
import type { Json } from '../../contract.ts';
import { runJob } from '../../jobs/catalogue.ts';

export interface PoolTask {
  readonly id: string;
  readonly job: string;
  readonly data: Json;
  /** The runner's BroadcastChannel name. */
  readonly channel: string;
}

const channels = new Map<string, BroadcastChannel>();

export default function run(task: PoolTask): Promise<Json> {
  let channel = channels.get(task.channel);
  if (channel === undefined) {
    channel = new BroadcastChannel(task.channel);
    // An open channel must not keep the worker alive on its own.
    channel.unref();
    channels.set(task.channel, channel);
  }
  channel.postMessage(task.id);
  // piscina stops a job by terminating its thread, so this signal never fires; one per job,
  // because jobs share a thread and a shared signal would collect every sleeping job's listener.
  return runJob(task.job, task.data, { attempt: 1, signal: new AbortController().signal });
}
