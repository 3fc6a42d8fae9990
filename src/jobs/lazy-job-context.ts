// A job's context whose AbortSignal is made only when the job reads it. Most jobs never look
// (noop, cpu), and an AbortController per job was 15–27% of an in-process noop job's time and
// 769 bytes of its heap. A runner that may stop the job (a timeout, stop({ drain: false }))
// calls `abort`: a job that read the signal sees it fire; one that reads it later finds it
// aborted, with the same reason.

import type { JobContext } from './catalogue.ts';

export class LazyJobContext implements JobContext {
  readonly attempt: number;
  #controller: AbortController | undefined;
  #aborted = false;
  #reason: unknown;

  constructor(attempt = 1) {
    this.attempt = attempt;
  }

  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#aborted) this.#controller.abort(this.#reason);
    }
    return this.#controller.signal;
  }

  /** True once `abort` was called, whether or not the job read its signal. */
  get aborted(): boolean {
    return this.#aborted;
  }

  /** Aborts the signal (now, or when the job first reads it); later calls change nothing. */
  abort(reason: unknown): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#reason = reason;
    this.#controller?.abort(reason);
  }
}
