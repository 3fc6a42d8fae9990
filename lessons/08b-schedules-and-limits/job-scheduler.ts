// The same recurring job with BullMQ's job scheduler: the schedule is stored in Redis, not in a
// process. Every instance may upsert it at startup (the second upsert changes nothing), and
// each tick is one job, which one Worker takes. Only the next tick's job is stored; the Worker
// that takes it adds the one after, so while no Worker runs, ticks do not pile up.

import { Queue, Worker, type ConnectionOptions } from 'bullmq';

export interface DigestQueue {
  readonly connection: ConnectionOptions;
  /** Redis key prefix, so the lesson's keys stay apart from anything else. */
  readonly prefix: string;
  readonly queue: string;
}

/** Called at startup by every instance. Resolves with the Queue, for the caller to close. */
export async function scheduleDigest(where: DigestQueue, everyMs: number): Promise<Queue> {
  const { connection, prefix } = where;
  // #region upsert
  // In every instance of the app, at startup: create the scheduler,
  // or leave it as it is.
  const queue = new Queue(where.queue, { connection, prefix });
  await queue.upsertJobScheduler(
    'send-digest',
    { every: everyMs },
    { name: 'send-digest', data: {} },
  );
  // #endregion upsert
  return queue;
}

/** A Worker for the digest queue, in any instance (or its own process). */
export async function startDigestWorker(where: DigestQueue, instance: string, onRun: (instance: string, jobId: string) => void): Promise<Worker> {
  const { connection, prefix } = where;
  // #region worker
  const worker = new Worker(
    where.queue,
    (job) => {
      onRun(instance, job.id ?? '');
      return Promise.resolve();
    },
    { connection, prefix },
  );
  // #endregion worker
  await worker.waitUntilReady();
  return worker;
}
