// The contract's bounds on submit() for a runner whose submit is a store write: at most
// `maxPending` writes waiting at once (QueueFullError past it, at once), and an answer within
// `timeoutMs` (ServiceUnavailableError; the write goes on, and the job may yet be stored). A
// store that hangs would otherwise hold every submit, and its job in memory, for as long as it
// hangs.

import type { RunnerId } from '../../contract.ts';
import { QueueFullError, ServiceUnavailableError, toError } from '../../errors.ts';
import { deadlines } from '../../otp/deadlines.ts';

/** How long a submit may wait for the store, and how many may wait at once. */
export interface SubmitLimits {
  readonly timeoutMs: number;
  readonly maxPending: number;
}

export class SubmitBounds {
  readonly #runner: RunnerId;
  readonly #service: 'redis' | 'postgres';
  readonly #limits: SubmitLimits;
  // Writes that have not settled, deadline or not: bounded by #limits.maxPending.
  #pending = 0;

  constructor(runner: RunnerId, service: 'redis' | 'postgres', limits: SubmitLimits) {
    this.#runner = runner;
    this.#service = service;
    this.#limits = limits;
  }

  run<T>(write: () => Promise<T>): Promise<T> {
    const { timeoutMs, maxPending } = this.#limits;
    const service = this.#service;
    if (this.#pending >= maxPending) {
      return Promise.reject(new QueueFullError(`submits waiting for ${service === 'redis' ? 'Redis' : 'PostgreSQL'}`, maxPending, 'the store is slow or unreachable: check it, slow the producer down, or raise maxPendingSubmits'));
    }
    this.#pending++;
    const written = write().finally(() => this.#pending--);
    return new Promise<T>((resolve, reject) => {
      const deadline = deadlines.add(timeoutMs, () => {
        reject(new ServiceUnavailableError(service, `Runner \`${this.#runner}\` could not store the job within ${timeoutMs} ms: its store is not answering`, 'check that the store is running and reachable; the job may still be stored once it answers, so retry with the same `id` to run it once'));
      });
      written.then(
        (value) => {
          deadlines.remove(deadline);
          resolve(value);
        },
        (error: unknown) => {
          deadlines.remove(deadline);
          reject(toError(error));
        },
      );
    });
  }
}
