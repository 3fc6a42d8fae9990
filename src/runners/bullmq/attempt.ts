// One attempt of a stored job, run through the catalogue in this process: its AbortSignal and
// the per-job timeout. BullMQ has no job timeout of its own, so `timeoutMs` is ours: the
// signal fires, and the attempt fails even if the job ignores the signal (it is raced).
//
// A stored job is what plain BullMQ stores: its name is the catalogue job and its data the
// job's data, `queue.add('sleep', { ms: 100 })`, so any BullMQ producer feeds a kit worker.
// The kit's one addition is `timeoutMs` among the job's options (BullMQ keeps options it does
// not know, on Redis and on PostgreSQL, and hands them back with the job). A job the catalogue
// does not know, or data its job does not take, fails for good at once, not retried (no retry
// can fix it), with what the worker expects.

import { UnrecoverableError, type JobsOptions } from 'bullmq';
import type { Json } from '../../contract.ts';
import { NeedAQueueError, TimeoutError } from '../../errors.ts';
import { runJob, validateJob, type JobContext } from '../../jobs/catalogue.ts';

/** BullMQ's job options plus the kit's per-job timeout. */
export interface KitJobsOptions extends JobsOptions {
  readonly timeoutMs?: number;
}

/** What a stored job gives an attempt; BullMQ's Job and SandboxedJob both fit. */
export interface StoredJob {
  readonly name: string;
  readonly data: unknown;
  readonly opts: JobsOptions;
}

/**
 * The job's catalogue data, checked as submit() checks it. A job added by another producer
 * may be anything: an UnrecoverableError then says what this worker runs and takes.
 */
export function catalogueData(job: StoredJob): Json {
  // BullMQ stores no data as {} on PostgreSQL and '{}' on Redis; the catalogue's "no data" is either.
  const data = (job.data ?? null) as Json;
  try {
    validateJob(job.name, data);
  } catch (error) {
    if (!(error instanceof NeedAQueueError)) throw error;
    const what = error.code === 'UNKNOWN_JOB' ? ': this worker runs the need-a-queue catalogue (`need-a-queue jobs`)' : '';
    throw new UnrecoverableError(`${error.message}${what}; ${error.fix}`);
  }
  return data;
}

/** Also the job's context (attempt and signal): one object per attempt, no closure per job. */
export class Attempt implements JobContext {
  readonly #job: string;
  readonly #id: string;
  readonly #data: Json;
  readonly #timeoutMs: number | undefined;
  readonly #attempt: number;
  // The AbortController is made only if the job asks for its signal: creating one costs
  // about 2% of a noop job's CPU, and a job that never read the signal cannot react to it.
  // An abort that comes first is kept, so a signal asked for later is born aborted.
  #controller: AbortController | undefined;
  #aborted: Error | undefined;

  constructor(job: string, id: string, data: Json, timeoutMs: number | undefined, attempt: number) {
    this.#job = job;
    this.#id = id;
    this.#data = data;
    this.#timeoutMs = timeoutMs;
    this.#attempt = attempt;
  }

  /** The attempt for a stored job; throws UnrecoverableError for one the catalogue cannot run. */
  static of(job: StoredJob & { readonly id?: string | undefined; readonly attemptsMade: number }): Attempt {
    const timeoutMs = (job.opts as KitJobsOptions).timeoutMs;
    return new Attempt(job.name, job.id ?? '', catalogueData(job), typeof timeoutMs === 'number' ? timeoutMs : undefined, job.attemptsMade + 1);
  }

  abort(reason: Error): void {
    this.#aborted ??= reason;
    this.#controller?.abort(reason);
  }

  get attempt(): number {
    return this.#attempt;
  }

  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#aborted !== undefined) this.#controller.abort(this.#aborted);
    }
    return this.#controller.signal;
  }

  async run(): Promise<Json> {
    let timer: NodeJS.Timeout | undefined;
    const work = runJob(this.#job, this.#data, this);
    try {
      const limit = this.#timeoutMs;
      if (limit === undefined) return await work;
      // Raced, not just signalled: a job that ignores its signal still loses the attempt.
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          const error = new TimeoutError(`job \`${this.#job}\` (${this.#id})`, limit, 'raise timeoutMs, or make the job faster');
          this.abort(error);
          reject(error);
        }, limit);
      });
      return await Promise.race([work, timeout]);
    } finally {
      if (timer !== undefined) clearTimeout(timer);
      work.catch(() => undefined);
    }
  }
}
