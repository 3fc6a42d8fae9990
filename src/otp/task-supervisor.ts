// Task supervisor: bounded concurrency with a bounded waiting line, Elixir's Task.Supervisor
// with `max_children` plus the line Elixir leaves to you.
//
// How it works: `start` runs the work at once when fewer than `concurrency` tasks run;
// otherwise it joins a ring-buffer line (O(1), no Array.shift). When the line is full the
// overflow policy decides: `reject` (default) rejects with QueueFullError at once; `wait`
// holds the caller until there is room. Each finishing task starts the next in line.
// `start` resolves with the handle once the work is accepted (running or in line); the handle
// behaves as a Task's even while waiting (await, yield, cancel). Bad options throw
// InvalidOptionError at construction: `concurrency: 0` would otherwise queue every task forever,
// and a misspelt policy would silently behave as another.

import { InvalidOptionError, QueueFullError, RunnerStoppedError } from '../errors.ts';
import { RingQueue } from './ring-queue.ts';
import { Task, type TaskOptions, type TaskWork } from './task.ts';

export type OverflowPolicy = 'reject' | 'wait';

const policies: readonly OverflowPolicy[] = ['reject', 'wait'];

export interface TaskSupervisorOptions {
  /** Tasks running at once. Default 64. */
  readonly concurrency?: number;
  /** Tasks waiting for a slot. Default unbounded. */
  readonly maxQueue?: number;
  readonly overflow?: OverflowPolicy;
}

interface Waiting {
  readonly run: () => void;
}

export class TaskSupervisor {
  readonly #concurrency: number;
  readonly #maxQueue: number;
  readonly #overflow: OverflowPolicy;
  readonly #line = new RingQueue<Waiting>();
  // Callers held by the `wait` policy until the line has room.
  readonly #blocked = new RingQueue<() => void>();
  #running = 0;
  #stopped = false;
  readonly #idleWaiters: (() => void)[] = [];

  constructor(options: TaskSupervisorOptions = {}) {
    const { concurrency = 64, maxQueue = Infinity, overflow = 'reject' } = options;
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new InvalidOptionError('concurrency', 'an integer >= 1', concurrency);
    if (maxQueue !== Infinity && (!Number.isInteger(maxQueue) || maxQueue < 0)) throw new InvalidOptionError('maxQueue', 'an integer >= 0, or Infinity', maxQueue);
    if (!policies.includes(overflow)) throw new InvalidOptionError('overflow', `one of ${policies.join(', ')}`, overflow);
    this.#concurrency = concurrency;
    this.#maxQueue = maxQueue;
    this.#overflow = overflow;
  }

  get running(): number {
    return this.#running;
  }

  get waiting(): number {
    return this.#line.size;
  }

  // #region start
  /** Accepts the work (runs it or queues it) and resolves with its handle. */
  async start<T>(work: TaskWork<T>, options: TaskOptions = {}): Promise<Task<T>> {
    if (this.#stopped) throw new RunnerStoppedError('task-supervisor');
    if (this.#running >= this.#concurrency && this.#line.size >= this.#maxQueue) {
      if (this.#overflow === 'reject') throw new QueueFullError('the task supervisor\'s line', this.#maxQueue);
      while (this.#running >= this.#concurrency && this.#line.size >= this.#maxQueue) {
        await new Promise<void>((resolve) => this.#blocked.push(resolve));
        if (this.#stopped) throw new RunnerStoppedError('task-supervisor');
      }
    }
    const queued = this.#running >= this.#concurrency;
    let release: (() => void) | undefined;
    const slot = queued ? new Promise<void>((resolve) => (release = resolve)) : undefined;
    if (release !== undefined) this.#line.push({ run: release });
    else this.#running++;
    return Task.start(async (signal) => {
      // In line: the handle exists now; the slot opens when a running task finishes (which counted us in).
      if (slot !== undefined) await slot;
      try {
        signal.throwIfAborted();
        return await work(signal);
      } finally {
        // Counted when the work ends, not when the handle settles: a cancelled task that ignores
        // its signal still holds its slot, so the bound is on real concurrency.
        this.#finished();
      }
    }, options);
  }
  // #endregion start

  /** Resolves when nothing runs or waits. */
  idle(): Promise<void> {
    if (this.#running === 0 && this.#line.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Refuses new work; what runs or waits carries on. */
  close(): void {
    this.#stopped = true;
    for (const wake of this.#blocked.clear()) wake();
  }

  #finished(): void {
    this.#running--;
    const next = this.#line.take();
    if (next !== undefined) {
      this.#running++;
      next.run();
    }
    this.#blocked.take()?.();
    if (this.#running === 0 && this.#line.size === 0) for (const resolve of this.#idleWaiters.splice(0)) resolve();
  }
}
