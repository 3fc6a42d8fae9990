// What a BullMQ store still holds after a case, read from the store itself: the uuids of jobs
// that are waiting, delayed or active (a later worker will run them) and of jobs that failed
// for good (the queue says so). The ledger cannot know either; the store is the only witness.
// Then the queue is removed, so a case leaves nothing behind on a server the user runs.

import type { Job } from 'bullmq';
import { backendArgs, makeQueue, type BullmqBackendKind } from '../../src/runners/bullmq/backend.ts';

export interface StoreState {
  readonly stored: ReadonlySet<string>;
  readonly failed: ReadonlySet<string>;
}

function uuidOf(job: Job | undefined): string | undefined {
  // A `recorded` job's data carries the uuid.
  const data: unknown = job?.data;
  return data !== null && typeof data === 'object' && 'uuid' in data && typeof data.uuid === 'string' ? data.uuid : undefined;
}

export async function readStore(kind: BullmqBackendKind, url: string, namespace: string, queueName: string, obliterate = true): Promise<StoreState> {
  const queue = makeQueue(queueName, backendArgs(kind, url, namespace));
  try {
    await queue.waitUntilReady();
    const collect = async (states: ('waiting' | 'delayed' | 'prioritized' | 'active' | 'waiting-children' | 'failed')[]) =>
      new Set((await queue.getJobs(states, 0, -1)).map(uuidOf).filter((u): u is string => u !== undefined));
    const stored = await collect(['waiting', 'delayed', 'prioritized', 'active', 'waiting-children']);
    const failed = await collect(['failed']);
    if (obliterate) await queue.obliterate({ force: true }).catch(() => undefined);
    return { stored, failed };
  } finally {
    await queue.close().catch(() => undefined);
  }
}
