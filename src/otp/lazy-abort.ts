// An abort that costs nothing until someone listens: the AbortController behind `signal` is
// made on first read, and `onAbort` takes a plain callback (no EventTarget). Most in-process
// jobs never look (noop, cpu) or only need to hear it (sleep): an AbortController per job was
// 15–27% of a noop job's time and 769 bytes of its heap. A `signal` read after the abort is
// made aborted, with the same reason. Task and the runners' job contexts build on it.

import { toError } from '../errors.ts';

const nothing = (): void => undefined;

export class LazyAbort {
  #controller: AbortController | undefined;
  #aborted = false;
  #reason: unknown;
  // Listeners added by onAbort: usually none or one.
  #listeners: ((reason: Error) => void)[] | undefined;

  /** The signal the work sees, made on first read. */
  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#aborted) this.#controller.abort(this.#reason);
    }
    return this.#controller.signal;
  }

  /** True once aborted, whether or not anyone read the signal. */
  get aborted(): boolean {
    return this.#aborted;
  }

  /** Calls `listener` on abort (at once if aborted already); returns the function that removes it. */
  onAbort(listener: (reason: Error) => void): () => void {
    if (this.#aborted) {
      listener(toError(this.#reason));
      return nothing;
    }
    (this.#listeners ??= []).push(listener);
    return () => {
      const at = this.#listeners?.indexOf(listener) ?? -1;
      if (at !== -1) this.#listeners?.splice(at, 1);
    };
  }

  /** Aborts the signal (now, or when first read) and tells onAbort's listeners; later calls change nothing. */
  protected abortWith(reason: unknown): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#reason = reason;
    this.#controller?.abort(reason);
    const listeners = this.#listeners;
    this.#listeners = undefined;
    if (listeners !== undefined) for (const listener of listeners) listener(toError(reason));
  }
}
