// The in-process peers: p-queue, the library a Node developer who skips the kit would pick to
// run jobs in the process with a concurrency limit.
// - `p-queue` runs the kit's own catalogue job through `runJob`, so the job's cost is on both
//   sides: task, genserver, stage and fire-and-forget divided by it is what the kit's
//   supervision, events and tickets cost over a p-queue a user would write.
// - `p-queue-bare` runs the same work with nothing around it (promise-raw's `bareWork`: for a
//   noop, `() => Promise.resolve(null)`), so on noop jobs `p-queue ÷ p-queue-bare` is the
//   catalogue's own cost per job, and `p-queue-bare ÷ promise-raw` is p-queue's.
//
// Both are used the way p-queue's own documentation shows: one `add()` per job, each with a
// `.catch` (an unhandled rejection ends a Node process), then `onIdle()`. No job asks for a
// timeout or a cancel, so none gets a signal of its own: the catalogue is given one shared
// signal that never fires, as src/otp/examples/job-server.ts does.

import { setMaxListeners } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import PQueue from 'p-queue';
import type { Json } from '../../src/contract.ts';
import { runJob } from '../../src/jobs/catalogue.ts';
import { toError } from '../../src/errors.ts';
import { DRAIN_TIMEOUT_MS } from '../drive.ts';
import type { PendingLine, ThroughputBaseline } from '../types.ts';
import { bareWork } from './promise-raw.ts';

type Work = (job: 'noop' | 'sleep' | 'cpu', data: Json) => Promise<unknown>;

const neverAborts = new AbortController().signal;
// Every running sleep job listens on it until its timer fires (then stops): at concurrency 50
// that is 50 listeners at once, which is use, not a leak, so Node is told not to warn at 10.
setMaxListeners(0, neverAborts);

const catalogueWork: Work = (job, data) => runJob(job, data, { attempt: 1, signal: neverAborts });

/** `floor`: measured for one ratio only, on noop jobs (see p-queue-bare below). */
function peer(id: string, work: Work, floor: boolean): ThroughputBaseline {
  return {
    id,
    async drain({ job, data, jobs, concurrency }) {
      const queue = new PQueue({ concurrency });
      let failure: unknown;
      const failed = (error: unknown) => void (failure ??= error);
      const started = performance.now();
      for (let i = 0; i < jobs; i++) queue.add(() => work(job, data)).catch(failed);
      // A job that never settles must not hang the run: the drain fails, the scenario says so.
      const timer = sleep(DRAIN_TIMEOUT_MS, 'timeout' as const, { ref: false });
      const outcome = await Promise.race([queue.onIdle().then(() => 'done' as const), timer]);
      const elapsed = performance.now() - started;
      if (outcome === 'timeout') {
        queue.clear();
        throw new Error(`${id} drain of ${jobs} ${job} jobs did not finish within ${DRAIN_TIMEOUT_MS} ms (${queue.pending} running, ${queue.size} waiting)`);
      }
      if (failure !== undefined) throw toError(failure);
      return elapsed;
    },
    ...(floor
      ? { onlyJobs: ['noop' as const] }
      : {
          hold(concurrency: number): PendingLine {
            const queue = new PQueue({ concurrency });
            return {
              submit(job, data) {
                // p-queue takes a job synchronously: accepted once add() returns.
                queue.add(() => work(job, data)).catch(() => undefined);
                return Promise.resolve();
              },
              clear: () => queue.clear(),
            };
          },
        }),
  };
}

export const pQueue = peer('p-queue', catalogueWork, false);
// The floor is there for one ratio, the catalogue's cost per job, which a noop shows best (a
// sleep or a spin hides it behind the work): its other figures would be p-queue's again, and
// measuring them would lengthen every quick run by seconds.
export const pQueueBare = peer('p-queue-bare', bareWork, true);
export const baselines: readonly ThroughputBaseline[] = [pQueue, pQueueBare];
