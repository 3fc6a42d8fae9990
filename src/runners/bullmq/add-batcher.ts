// PostgreSQL only: submits made in the same turn of the event loop go to the store as one
// addBulk, one transaction (one WAL flush) instead of one per job. Each submit still resolves
// only once its job is stored. That makes the kit about 2.5× faster than raw BullMQ called
// with one add() per job, and within about 6% of raw addBulk (same 256 submits in flight).
// On Redis, add() per job is faster: with 256 submits in flight, coalescing them into addBulk
// pipelines cost 10–15% of noop throughput (measured interleaved against raw BullMQ:
// 0.78–0.83× with, 0.89–0.95× without), so the runner does not use this there.

import type { Job, JobsOptions, Queue } from 'bullmq';
import { toError } from '../../errors.ts';

const MAX_BATCH = 1000;

interface PendingAdd {
  readonly name: string;
  readonly data: unknown;
  readonly opts: JobsOptions;
  resolve(job: Job): void;
  reject(error: Error): void;
}

export class AddBatcher {
  readonly #queue: Queue;
  readonly #batch: PendingAdd[] = [];

  constructor(queue: Queue) {
    this.#queue = queue;
  }

  add(name: string, data: unknown, opts: JobsOptions): Promise<Job> {
    return new Promise<Job>((resolve, reject) => {
      this.#batch.push({ name, data, opts, resolve, reject });
      if (this.#batch.length === 1) setImmediate(() => this.#flush());
    });
  }

  #flush(): void {
    while (this.#batch.length > 0) {
      const batch = this.#batch.splice(0, MAX_BATCH);
      const only = batch[0];
      const added = batch.length === 1 && only !== undefined ? this.#queue.add(only.name, only.data, only.opts).then((job) => [job]) : this.#queue.addBulk(batch.map(({ name, data, opts }) => ({ name, data, opts })));
      added.then(
        (jobs) => batch.forEach((entry, i) => { const job = jobs[i]; if (job === undefined) entry.reject(new Error('BullMQ stored fewer jobs than it was given')); else entry.resolve(job); }),
        (error: unknown) => batch.forEach((entry) => entry.reject(toError(error))),
      );
    }
  }
}
