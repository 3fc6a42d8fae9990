// Runs one catalogue job by name inside a piscina worker thread. JSON in, JSON out: nothing
// but the job's name, data and ids crosses the thread boundary.
//
// Before the job it says "started" on the runner's BroadcastChannel, so the main thread's
// `started` event marks when the job really began, not when it was queued; only when the main
// thread has listeners (`channel` is empty otherwise): the message was a fifth of a tiny job's
// round trip, and a result already says the job started.

import { BroadcastChannel } from 'node:worker_threads';
import type { Json } from '../../contract.ts';
import { runJob } from '../../jobs/catalogue.ts';

export interface PoolTask {
  readonly id: string;
  readonly job: string;
  readonly data: Json;
  /** The runner's BroadcastChannel name; empty when nobody listens for `started`. */
  readonly channel: string;
}

const channels = new Map<string, BroadcastChannel>();

export default function run(task: PoolTask): Promise<Json> {
  if (task.channel !== '') announce(task);
  // piscina stops a job by terminating its thread, so nothing here can abort it: no signal
  // (an AbortController per job cost a tiny job a tenth of its round trip).
  return runJob(task.job, task.data);
}

function announce(task: PoolTask): void {
  let channel = channels.get(task.channel);
  if (channel === undefined) {
    channel = new BroadcastChannel(task.channel);
    // An open channel must not keep the worker alive on its own.
    channel.unref();
    channels.set(task.channel, channel);
  }
  channel.postMessage(task.id);
}
