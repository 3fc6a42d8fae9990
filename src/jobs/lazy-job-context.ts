// The context a runner gives a job it may stop (a timeout, stop({ drain: false })): its signal
// is made only if the job reads it, and `onAbort` hears the abort without one (LazyAbort).

import { LazyAbort } from '../otp/lazy-abort.ts';
import type { JobContext } from './catalogue.ts';

export class LazyJobContext extends LazyAbort implements JobContext {
  readonly attempt: number;

  constructor(attempt = 1) {
    super();
    this.attempt = attempt;
  }

  /** Stops the job: its signal fires (now, or when first read) and onAbort's listeners hear. */
  abort(reason: unknown): void {
    this.abortWith(reason);
  }
}
