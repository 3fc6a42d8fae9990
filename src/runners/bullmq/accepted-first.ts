// A job's lifecycle events in the order the contract promises: `accepted` first, then what the
// Worker reports. The Worker can take a job before the write that stored it has answered
// submit(): the store commits, the Worker's fetch (another connection) sees the job, and its
// `started` and even `completed` arrive before the add's reply (seen on PostgreSQL, where a
// tick's submits go out as one addBulk). So an event for a job this runner may still be adding
// is held until that add answers, and keeps the time it happened at.
//
// Which jobs may still be adding: a job can only have been stored by an add that began before
// its event. Each add gets a number; an event for a job not known as accepted here is held
// with the number of adds begun so far, and released once every one of those has answered
// (with the job's `accepted` first if one of them stored it). A job another producer stored
// therefore waits at most for the adds in flight when it started, never for later ones, so a
// runner that submits without pause still reports other producers' jobs.

import type { LifecycleType } from '../../contract.ts';
import { now, type EventHub } from '../support.ts';

interface HeldEvent {
  readonly type: LifecycleType;
  readonly id: string;
  readonly job: string;
  readonly attempt: number;
  readonly error: unknown;
  readonly at: number;
}

interface HeldJob {
  // Adds numbered below this had begun when the job was first seen: one of them may store it.
  readonly addsBegun: number;
  readonly events: HeldEvent[];
}

export class AcceptedFirst {
  readonly #hub: EventHub;
  // False for a runner with no Worker: no Worker events, so nothing to order or remember.
  readonly #consumes: boolean;
  #addsBegun = 0;
  // Numbers of the adds that have not answered; a Set iterates in insertion order, so the
  // first is the oldest.
  readonly #adding = new Set<number>();
  // Jobs whose `accepted` went out here and whose last event has not: their events need no wait.
  readonly #accepted = new Set<string>();
  // Held jobs in the order first seen, which is also the order of their addsBegun.
  readonly #held = new Map<string, HeldJob>();

  constructor(hub: EventHub, consumes: boolean) {
    this.#hub = hub;
    this.#consumes = consumes;
  }

  /**
   * Runs one store write that stores a job and emits its `accepted` the moment the write
   * answers, before anything the Worker reported about the job meanwhile.
   */
  add<T extends { readonly id?: string | undefined }>(job: string, write: () => Promise<T>): Promise<T> {
    if (!this.#consumes) return write().then((stored) => (this.#hub.emit('accepted', stored.id ?? '', job, 1), stored));
    const n = this.#addsBegun++;
    this.#adding.add(n);
    return write().then(
      (stored) => {
        const id = stored.id ?? '';
        this.#hub.emit('accepted', id, job, 1);
        const held = this.#held.get(id);
        if (held !== undefined) this.#held.delete(id);
        if (this.#hub.listening) this.#accepted.add(id);
        held?.events.forEach((e) => this.#send(e));
        this.#answered(n);
        return stored;
      },
      (error: unknown) => {
        this.#answered(n);
        throw error;
      },
    );
  }

  /** A Worker event: emitted now, or held until the add that may have stored its job answers. */
  emit(type: LifecycleType, id: string, job: string, attempt: number, error?: unknown): void {
    if (!this.#hub.listening) return;
    const event: HeldEvent = { type, id, job, attempt, error, at: now() };
    const held = this.#held.get(id);
    if (held !== undefined) held.events.push(event);
    else if (this.#accepted.has(id) || this.#adding.size === 0) this.#send(event);
    else this.#held.set(id, { addsBegun: this.#addsBegun, events: [event] });
  }

  /** Everything held goes out: after stop, no add is left to wait for and no job to remember. */
  flush(): void {
    this.#adding.clear();
    this.#release();
    this.#accepted.clear();
  }

  // Releases the held jobs no unanswered add can have stored: those first seen before the
  // oldest add still waiting began. They are at the front of #held.
  #answered(n: number): void {
    this.#adding.delete(n);
    if (this.#held.size > 0) this.#release();
  }

  #release(): void {
    const oldest = this.#adding.values().next();
    const oldestAdding = oldest.done === true ? Number.POSITIVE_INFINITY : oldest.value;
    for (const [id, held] of this.#held) {
      if (held.addsBegun > oldestAdding) break;
      this.#held.delete(id);
      held.events.forEach((e) => this.#send(e));
    }
  }

  #send(e: HeldEvent): void {
    if (e.type === 'completed' || e.type === 'failed') this.#accepted.delete(e.id);
    this.#hub.emit(e.type, e.id, e.job, e.attempt, e.error, e.at);
  }
}
