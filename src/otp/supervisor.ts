// Supervisor: one-for-one restarts of crashed children, Elixir's default strategy and limits.
//
// How it works: each child spec knows how to start a child (fresh state from init, every time).
// The supervisor listens for each child's exit. A normal exit is left alone (the child is
// "transient"); a crash starts a new child from the spec, unless that would be more than
// `maxRestarts` restarts within `periodMs` (3 in 5 s, as Elixir): then the supervisor gives up,
// stops every other child (newest first) and reports why. Every restart and the give-up are
// events, so a lesson or a test can count them. The window uses Date.now(), so fake timers
// can move it.

import type { ExitReason } from './gen-server.ts';
import { toError } from '../errors.ts';

export interface SupervisedChild {
  onExit(listener: (reason: ExitReason) => void): () => void;
  stop(): Promise<void>;
}

export interface ChildSpec<Child extends SupervisedChild = SupervisedChild> {
  readonly id: string;
  /** Starts a fresh child; called again for each restart. */
  start(): Promise<Child>;
}

export type SupervisorEvent =
  | { readonly type: 'started'; readonly child: string }
  | { readonly type: 'crashed'; readonly child: string; readonly error: Error }
  | { readonly type: 'restarted'; readonly child: string; readonly restarts: number }
  | { readonly type: 'restart-failed'; readonly child: string; readonly error: Error }
  | { readonly type: 'gave-up'; readonly child: string; readonly restarts: number; readonly error: Error };

// #region options
export interface SupervisorOptions {
  /** Restarts allowed within `periodMs` before giving up. Default 3. */
  readonly maxRestarts?: number;
  /** Default 5000 ms. */
  readonly periodMs?: number;
}
// #endregion options

export interface GiveUpReport {
  readonly child: string;
  readonly restarts: number;
  readonly error: Error;
}

type Status = 'running' | 'stopped' | 'gave-up';

export class Supervisor<Child extends SupervisedChild = SupervisedChild> {
  readonly #specs = new Map<string, ChildSpec<Child>>();
  readonly #children = new Map<string, Child>();
  readonly #unsubscribe = new Map<string, () => void>();
  readonly #listeners = new Set<(event: SupervisorEvent) => void>();
  readonly #maxRestarts: number;
  readonly #periodMs: number;
  // Times of recent restarts, oldest first; only the last `periodMs` count.
  #restartTimes: number[] = [];
  #restarts = 0;
  #status: Status = 'running';
  #report: GiveUpReport | undefined;
  readonly #gaveUp: Promise<GiveUpReport>;
  #resolveGaveUp!: (report: GiveUpReport) => void;

  // #region defaults
  constructor(options: SupervisorOptions = {}) {
    this.#maxRestarts = options.maxRestarts ?? 3;
    this.#periodMs = options.periodMs ?? 5000;
    this.#gaveUp = new Promise((resolve) => (this.#resolveGaveUp = resolve));
  }
  // #endregion defaults

  /** Starts the children in order; a child whose start throws is not added (the error is thrown). */
  static async start<Child extends SupervisedChild>(specs: readonly ChildSpec<Child>[], options?: SupervisorOptions): Promise<Supervisor<Child>> {
    const supervisor = new Supervisor<Child>(options);
    for (const spec of specs) await supervisor.startChild(spec);
    return supervisor;
  }

  get status(): Status {
    return this.#status;
  }

  /** Restarts done so far (all children). */
  get restarts(): number {
    return this.#restarts;
  }

  /** Why it gave up, once it has. */
  get report(): GiveUpReport | undefined {
    return this.#report;
  }

  /** Resolves when the supervisor gives up; never while it copes. */
  whenGaveUp(): Promise<GiveUpReport> {
    return this.#gaveUp;
  }

  onEvent(listener: (event: SupervisorEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** The current incarnation of a child; undefined while it restarts or after the give-up. */
  which(id: string): Child | undefined {
    return this.#children.get(id);
  }

  async startChild(spec: ChildSpec<Child>): Promise<Child> {
    this.#specs.set(spec.id, spec);
    const child = await spec.start();
    this.#adopt(spec.id, child);
    this.#emit({ type: 'started', child: spec.id });
    return child;
  }

  /** Stops every child, newest first; none is restarted. */
  async stop(): Promise<void> {
    if (this.#status === 'running') this.#status = 'stopped';
    await this.#stopAll();
  }

  #adopt(id: string, child: Child): void {
    this.#children.set(id, child);
    this.#unsubscribe.set(id, child.onExit((reason) => this.#childExited(id, child, reason)));
  }

  // #region restart-or-give-up
  #childExited(id: string, child: Child, reason: ExitReason): void {
    this.#unsubscribe.get(id)?.();
    if (this.#children.get(id) === child) this.#children.delete(id);
    if (this.#status !== 'running' || reason.kind === 'normal') return;
    this.#emit({ type: 'crashed', child: id, error: reason.error });
    const at = Date.now();
    // Slide the window: restarts older than the period no longer count.
    this.#restartTimes = this.#restartTimes.filter((time) => at - time < this.#periodMs);
    if (this.#restartTimes.length >= this.#maxRestarts) {
      this.#giveUp(id, reason.error);
      return;
    }
    this.#restartTimes.push(at);
    this.#restarts++;
  // #endregion restart-or-give-up
    const spec = this.#specs.get(id);
    if (spec === undefined) return;
    spec.start().then(
      (fresh) => {
        if (this.#status !== 'running') {
          void fresh.stop();
          return;
        }
        this.#adopt(id, fresh);
        this.#emit({ type: 'restarted', child: id, restarts: this.#restarts });
      },
      (error: unknown) => {
        // A child that cannot even start is as bad as one that keeps crashing.
        const failure = toError(error);
        this.#emit({ type: 'restart-failed', child: id, error: failure });
        this.#giveUp(id, failure);
      },
    );
  }

  #giveUp(id: string, error: Error): void {
    if (this.#status !== 'running') return;
    this.#status = 'gave-up';
    this.#report = { child: id, restarts: this.#restarts, error };
    this.#emit({ type: 'gave-up', child: id, restarts: this.#restarts, error });
    this.#resolveGaveUp(this.#report);
    void this.#stopAll();
  }

  async #stopAll(): Promise<void> {
    const children = [...this.#children.entries()].reverse();
    this.#children.clear();
    for (const [id, child] of children) {
      this.#unsubscribe.get(id)?.();
      await child.stop();
    }
  }

  #emit(event: SupervisorEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch {
        // A listener's bug must not stop supervision.
      }
    }
  }
}
