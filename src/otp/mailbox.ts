// A GenServer's mailbox: a FIFO ring of (kind, payload) pairs, so a cast or an info message is
// queued without allocating an envelope object. The envelope was most of a cast's own cost:
// a cast is a Map update's worth of work, and one allocation per message (plus the GC it
// brings) made the server's cast about 3× a bare Map update instead of within 1.5×.
//
// How it works: as RingQueue (O(1) push and take, a power-of-two array that doubles when
// full), but each message takes two adjacent slots: its kind (a small integer) then its
// payload. Head and count are always even and the array length a power of two, so a pair
// never straddles the wrap-around. Read a message with `peekKind()` then `take()`.

/** What peekKind answers when the mailbox is empty. */
export const EMPTY = -1;

export class Mailbox {
  #slots: unknown[];
  #mask: number;
  #head = 0;
  // Slots in use: twice the number of messages.
  #used = 0;

  constructor(initialMessages = 32) {
    let capacity = 32;
    while (capacity < initialMessages * 2) capacity *= 2;
    this.#slots = new Array<unknown>(capacity);
    this.#mask = capacity - 1;
  }

  /** Messages waiting. */
  get size(): number {
    return this.#used >>> 1;
  }

  push(kind: number, payload: unknown): void {
    if (this.#used > this.#mask) this.#grow();
    const at = (this.#head + this.#used) & this.#mask;
    this.#slots[at] = kind;
    this.#slots[at + 1] = payload;
    this.#used += 2;
  }

  /** The kind of the oldest message, or EMPTY; `take()` then removes it and returns its payload. */
  peekKind(): number {
    return this.#used === 0 ? EMPTY : (this.#slots[this.#head] as number);
  }

  /** Removes the oldest message and returns its payload (undefined when empty). */
  take(): unknown {
    if (this.#used === 0) return undefined;
    const head = this.#head;
    const payload = this.#slots[head + 1];
    // Clear the payload's slot so a handled message can be garbage-collected.
    this.#slots[head + 1] = undefined;
    this.#head = (head + 2) & this.#mask;
    this.#used -= 2;
    return payload;
  }

  /** Visits messages oldest first (for sweeps such as call timeouts); does not remove them. */
  forEach(visit: (kind: number, payload: unknown) => void): void {
    for (let i = 0; i < this.#used; i += 2) {
      const at = (this.#head + i) & this.#mask;
      visit(this.#slots[at] as number, this.#slots[at + 1]);
    }
  }

  /** Removes every message, visiting each oldest first. */
  clear(visit: (kind: number, payload: unknown) => void): void {
    while (this.#used > 0) {
      const kind = this.#slots[this.#head] as number;
      visit(kind, this.take());
    }
  }

  #grow(): void {
    const old = this.#slots;
    const capacity = old.length * 2;
    const slots = new Array<unknown>(capacity);
    for (let i = 0; i < this.#used; i++) slots[i] = old[(this.#head + i) & this.#mask];
    this.#slots = slots;
    this.#mask = capacity - 1;
    this.#head = 0;
  }
}
