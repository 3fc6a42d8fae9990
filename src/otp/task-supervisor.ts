// Task supervisor: bounded concurrency with a bounded waiting line, Elixir's Task.Supervisor
// with `max_children` plus the line Elixir leaves to you.
//
// How it works: `start` runs the work at once when fewer than `concurrency` tasks run;
// otherwise it joins a ring-buffer line (O(1), no Array.shift). When the line is full the
// overflow policy decides: `reject` (default) rejects with QueueFullError at once; `wait`
// holds the caller until there is room. Each finishing task starts the next in line.
// `start` resolves with the handle once the work is accepted (running or in line); the handle
// behaves as a Task's even while waiting (await, yield, cancel). A caller that makes its own
// handle (Task.pending) hands it over with `run`, which accepts or throws at once: no promise.
// A handle in line is a pending Task and its work, begun when a slot opens; one cancelled while
// waiting is skipped then. `abandon` drops the whole line at once (O(1), nothing is visited). Bad options throw
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
  /** Tasks waiting for a slot. Default unbounded (the task runner bounds it: RunnerOptions.maxQueue). */
  readonly maxQueue?: number;
  readonly overflow?: OverflowPolicy;
}

interface Waiting {
  readonly task: Task<unknown>;
  readonly work: TaskWork<unknown>;
}

export class TaskSupervisor {
  readonly #concurrency: number;
  readonly #maxQueue: number;
  readonly #overflow: OverflowPolicy;
  #line = new RingQueue<Waiting>();
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
  async start<T>(work: TaskWork<T>, options: TaskOptions<T> = {}): Promise<Task<T>> {
    if (this.#stopped) throw new RunnerStoppedError('task-supervisor');
    if (this.#full() && this.#overflow === 'wait') {
      while (this.#full()) {
        await new Promise<void>((resolve) => this.#blocked.push(resolve));
        if (this.#stopped) throw new RunnerStoppedError('task-supervisor');
      }
    }
    this.checkRoom();
    const task = Task.pending(options);
    this.run(task, work);
    return task;
  }

  /** Throws what `run` would: RunnerStoppedError once closed, QueueFullError when the line is full. */
  checkRoom(): void {
    if (this.#stopped) throw new RunnerStoppedError('task-supervisor');
    if (this.#full()) throw new QueueFullError('the task supervisor\'s line', this.#maxQueue);
  }

  /**
   * Runs a pending task's work now, or puts it in line; throws as `checkRoom` (call that before
   * making the handle, so a refused job leaves no timeout armed). Never waits, whatever the policy.
   */
  run<T>(task: Task<T>, work: TaskWork<T>): void {
    this.checkRoom();
    if (this.#running >= this.#concurrency) {
      this.#line.push({ task, work } as Waiting);
      return;
    }
    this.#running++;
    this.#begin(task, work);
  }
  // #endregion start

  #begin<T>(task: Task<T>, work: TaskWork<T>): void {
    // Counted when the work ends, not when the handle settles: a cancelled task that ignores
    // its signal still holds its slot, so the bound is on real concurrency.
    if (!task.begin(work, this.#ended)) this.#ended();
  }

  readonly #ended = (): void => this.#finished();

  #full(): boolean {
    return this.#running >= this.#concurrency && this.#line.size >= this.#maxQueue;
  }

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

  /**
   * Drops every task in line without visiting one (O(1): a stop with a million queued is as quick
   * as with none) and returns how many. Their handles stay running; whoever holds them settles
   * or forgets them. What runs carries on.
   */
  abandon(): number {
    const dropped = this.#line.size;
    this.#line = new RingQueue<Waiting>();
    if (this.#running === 0) for (const resolve of this.#idleWaiters.splice(0)) resolve();
    return dropped;
  }

  #finished(): void {
    this.#running--;
    // Handles cancelled or timed out while in line are skipped: their work never runs.
    for (let next = this.#line.take(); next !== undefined; next = this.#line.take()) {
      if (next.task.outcome.status !== 'running') continue;
      this.#running++;
      this.#begin(next.task, next.work);
      break;
    }
    this.#blocked.take()?.();
    if (this.#running === 0 && this.#line.size === 0) for (const resolve of this.#idleWaiters.splice(0)) resolve();
  }
}
