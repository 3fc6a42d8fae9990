// Deadlines: many timeouts on one timer. Arming a Node timer per awaited task costs about a
// microsecond (setTimeout + clearTimeout), more than a whole in-process task; most deadlines
// are cancelled long before they pass, so they need not each own a timer.
//
// How it works: entries sit in a Set; one timer is armed for the earliest deadline. When it
// fires it expires every entry past its deadline and re-arms for the next earliest. The timer
// is ref'd only while entries exist, so an idle Deadlines never holds the process open.

import { MAX_TIMER_MS } from '../contract.ts';

export interface Deadline {
  readonly at: number;
  readonly expire: () => void;
}

export class Deadlines {
  readonly #entries = new Set<Deadline>();
  #timer: NodeJS.Timeout | undefined;
  #timerAt = Infinity;

  /** Calls `expire` once `ms` have passed, unless removed first. */
  add(ms: number, expire: () => void): Deadline {
    const entry: Deadline = { at: performance.now() + ms, expire };
    this.#entries.add(entry);
    if (entry.at < this.#timerAt) this.#arm(entry.at);
    else if (this.#entries.size === 1) this.#timer?.ref();
    return entry;
  }

  remove(entry: Deadline): void {
    // A timer left armed is harmless (it finds nothing due); only stop it holding the process.
    if (this.#entries.delete(entry) && this.#entries.size === 0) this.#timer?.unref();
  }

  #arm(at: number): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timerAt = at;
    // Capped at the longest timer Node keeps (a longer one fires after 1 ms); the sweep re-arms.
    this.#timer = setTimeout(() => this.#sweep(), Math.min(MAX_TIMER_MS, Math.max(0, at - performance.now()) + 1));
  }

  #sweep(): void {
    this.#timer = undefined;
    this.#timerAt = Infinity;
    const now = performance.now();
    let next = Infinity;
    for (const entry of this.#entries) {
      if (entry.at <= now) {
        this.#entries.delete(entry);
        entry.expire();
      } else if (entry.at < next) next = entry.at;
    }
    if (next !== Infinity) this.#arm(next);
  }
}

/** The one Deadlines the OTP modules share. */
export const deadlines = new Deadlines();
