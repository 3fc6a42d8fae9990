// Task: start async work and get a handle, Elixir's Task.async / await / yield / shutdown.
//
// How it works: `Task.start(fn)` runs fn at once with an AbortSignal and records how its
// promise settles in the handle. The handle attaches its own handlers immediately, so a task
// that fails and is never awaited is no unhandled rejection (Node would end the process).
// `await(timeoutMs)` waits (default 5 s, as Elixir) and on timeout cancels the task and rejects
// with TimeoutError; `yield(timeoutMs)` waits without cancelling and answers ok / error /
// running; `cancel()` aborts the signal the work sees and settles the handle as cancelled.
// Failures reject with TaskFailedError whose `cause` is the work's own error.
// Cheap on purpose (a task is about 1 µs): await's timeout shares one timer (deadlines.ts), the
// AbortController is made only when someone can see its signal, and the promise that await and
// yield wait on only when one of them waits. A supervisor makes a handle with `pending`, queues
// it, and `begin`s its work when a slot opens; `onSettle` tells it the outcome without a promise.

import { TaskCancelledError, TaskFailedError, TimeoutError, toError } from '../errors.ts';
import { type Deadline, deadlines } from './deadlines.ts';
import { LazyAbort } from './lazy-abort.ts';

export type TaskOutcome<T> =
  | { readonly status: 'ok'; readonly value: T }
  | { readonly status: 'error'; readonly error: Error }
  | { readonly status: 'running' };

export interface TaskOptions<T = unknown> {
  /** Shown in errors. */
  readonly name?: string;
  /** A signal of the caller's: aborting it cancels the task. */
  readonly signal?: AbortSignal;
  /** Cancels the task after this long (the work sees its signal abort with a TimeoutError). */
  readonly timeoutMs?: number;
  /** Called once, synchronously, with the outcome when the task settles, before await or yield return. */
  readonly onSettle?: (outcome: SettledOutcome<T>) => void;
}

export type SettledOutcome<T> = Exclude<TaskOutcome<T>, { status: 'running' }>;

export type TaskWork<T> = (signal: AbortSignal) => Promise<T> | T;

const RUNNING = { status: 'running' } as const;

// The signal (made on first read) and onAbort come from LazyAbort: work that takes no signal
// parameter cannot observe one, so none is made for it.
export class Task<T> extends LazyAbort {
  readonly name: string;
  #outcome: TaskOutcome<T> = RUNNING;
  // Made when await or yield first waits: most supervised tasks are read through onSettle.
  #settled: Promise<void> | undefined;
  #markSettled: (() => void) | undefined;
  #timeout: Deadline | undefined;
  readonly #onSettle: ((outcome: SettledOutcome<T>) => void) | undefined;

  private constructor(name: string, onSettle: ((outcome: SettledOutcome<T>) => void) | undefined) {
    super();
    this.name = name;
    this.#onSettle = onSettle;
  }

  /** Starts `work` now and returns its handle. */
  static start<T>(work: TaskWork<T>, options: TaskOptions<T> = {}): Task<T> {
    const task = Task.pending(options);
    task.begin(work);
    return task;
  }

  /**
   * A handle whose work starts later, with `begin` (a supervisor's line). Its timeout and the
   * caller's signal count from now: it can time out or be cancelled while it waits.
   */
  static pending<T>(options: TaskOptions<T> = {}): Task<T> {
    const task = new Task<T>(options.name ?? 'task', options.onSettle);
    const { signal, timeoutMs } = options;
    if (signal !== undefined) {
      if (signal.aborted) task.cancel(signal.reason);
      else signal.addEventListener('abort', () => task.cancel(signal.reason), { once: true, signal: task.signal });
    }
    if (timeoutMs !== undefined && task.#outcome.status === 'running') {
      task.#timeout = deadlines.add(timeoutMs, () => task.#fail(new TimeoutError(task.name, timeoutMs), true));
    }
    return task;
  }

  /** ok / error / running, right now. */
  get outcome(): TaskOutcome<T> {
    return this.#outcome;
  }

  /** Resolves with the value; rejects with TaskFailedError, TaskCancelledError, or TimeoutError (and cancels). */
  async await(timeoutMs = 5000): Promise<T> {
    if (this.#outcome.status === 'running') {
      // On timeout the task fails with TimeoutError (and is cancelled), which settles it.
      const deadline = Number.isFinite(timeoutMs) ? deadlines.add(timeoutMs, () => this.#fail(new TimeoutError(`awaiting ${this.name}`, timeoutMs), true)) : undefined;
      await this.#whenSettled();
      if (deadline !== undefined) deadlines.remove(deadline);
    }
    const outcome = this.#outcome;
    if (outcome.status === 'ok') return outcome.value;
    if (outcome.status === 'error') throw outcome.error;
    throw new Error('unreachable: a settled task is ok or error');
  }

  /** Waits up to `timeoutMs` and reports the outcome without cancelling (Elixir's Task.yield). */
  async yield(timeoutMs = 5000): Promise<TaskOutcome<T>> {
    if (this.#outcome.status === 'running') await this.#waitUpTo(timeoutMs);
    return this.#outcome;
  }

  /** Aborts the work's signal and settles the handle as cancelled; a late result is ignored. */
  cancel(reason?: unknown): void {
    this.#fail(new TaskCancelledError(this.name, reason), true);
  }

  /**
   * Runs the work of a `pending` task, unless it already settled (cancelled or timed out while
   * it waited): then the work never runs and begin returns false. `ended` is called when the
   * work itself ends, which may be after the handle settled (a cancelled work that ignores its
   * signal): a supervisor counts its slot busy until then.
   */
  begin(work: TaskWork<T>, ended?: () => void): boolean {
    if (this.#outcome.status !== 'running') return false;
    let result: Promise<T> | T;
    try {
      result = work.length === 0 ? (work as () => Promise<T> | T)() : work(this.signal);
    } catch (error) {
      ended?.();
      this.#fail(new TaskFailedError(this.name, toError(error)), false);
      return true;
    }
    Promise.resolve(result).then(
      (value) => {
        ended?.();
        this.#settle({ status: 'ok', value });
      },
      (error: unknown) => {
        ended?.();
        this.#fail(new TaskFailedError(this.name, error), false);
      },
    );
    return true;
  }

  #whenSettled(): Promise<void> {
    if (this.#outcome.status !== 'running') return Promise.resolve();
    this.#settled ??= new Promise<void>((resolve) => (this.#markSettled = resolve));
    return this.#settled;
  }

  #fail(error: Error, abort: boolean): void {
    if (this.#outcome.status !== 'running') return;
    this.#settle({ status: 'error', error });
    // Tell the work to stop; it may ignore the signal, but its result no longer counts. A signal
    // read later still says aborted (and why).
    if (abort) this.abortWith(error);
  }

  #settle(outcome: SettledOutcome<T>): void {
    if (this.#outcome.status !== 'running') return; // first outcome wins
    this.#outcome = outcome;
    if (this.#timeout !== undefined) deadlines.remove(this.#timeout);
    this.#onSettle?.(outcome);
    this.#markSettled?.();
  }

  /** True when the task settled within `timeoutMs`. */
  #waitUpTo(timeoutMs: number): Promise<boolean> {
    // A timer turns Infinity into 1 ms: wait without one instead.
    const settled = this.#whenSettled().then(() => true);
    if (!Number.isFinite(timeoutMs)) return settled;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<boolean>((resolve) => (timer = setTimeout(resolve, timeoutMs, false)));
    return Promise.race([settled, late]).finally(() => clearTimeout(timer));
  }
}
