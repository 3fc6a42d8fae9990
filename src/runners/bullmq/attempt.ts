// One attempt of a stored job, run through the catalogue in this process: the job's data
// envelope, its AbortSignal, and the per-job timeout. BullMQ has no job timeout of its own,
// so `timeoutMs` is ours: the signal fires, and the attempt fails even if the job ignores the
// signal (it is raced).

import type { Json } from '../../contract.ts';
import { TimeoutError } from '../../errors.ts';
import { runJob } from '../../jobs/catalogue.ts';

/** What the Queue stores as job data: the catalogue data plus our own per-job timeout. */
export interface Envelope {
  readonly data: Json;
  readonly timeoutMs?: number;
}

export class Attempt {
  readonly #job: string;
  readonly #id: string;
  readonly #envelope: Envelope;
  readonly #attempt: number;
  // The AbortController is made only if the job asks for its signal: creating one costs
  // about 2% of a noop job's CPU, and a job that never read the signal cannot react to it.
  // An abort that comes first is kept, so a signal asked for later is born aborted.
  #controller: AbortController | undefined;
  #aborted: Error | undefined;

  constructor(job: string, id: string, envelope: Envelope, attempt: number) {
    this.#job = job;
    this.#id = id;
    this.#envelope = envelope;
    this.#attempt = attempt;
  }

  abort(reason: Error): void {
    this.#aborted ??= reason;
    this.#controller?.abort(reason);
  }

  #signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#aborted !== undefined) this.#controller.abort(this.#aborted);
    }
    return this.#controller.signal;
  }

  async run(): Promise<Json> {
    const signal = (): AbortSignal => this.#signal();
    let timer: NodeJS.Timeout | undefined;
    const work = runJob(this.#job, this.#envelope.data, {
      attempt: this.#attempt,
      get signal() {
        return signal();
      },
    });
    try {
      const limit = this.#envelope.timeoutMs;
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
