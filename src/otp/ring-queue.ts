// A FIFO queue on a ring buffer: O(1) push and take, no Array.prototype.shift (which is O(n)
// per message: measured while building the kit, a mailbox drained with shift() slowed down with
// every message queued, and one holding millions never finished draining).
//
// How it works: items live in an array whose length is a power of two; `#head` is the index of
// the oldest item and `#size` the count, so the slot for a new item is (head + size) & mask.
// When the array is full it doubles, copying items to their new places once (amortised O(1)).

export class RingQueue<T> {
  #items: (T | undefined)[];
  #mask: number;
  #head = 0;
  #size = 0;

  constructor(initialCapacity = 16) {
    let capacity = 16;
    while (capacity < initialCapacity) capacity *= 2;
    this.#items = new Array<T | undefined>(capacity);
    this.#mask = capacity - 1;
  }

  get size(): number {
    return this.#size;
  }

  push(item: T): void {
    if (this.#size > this.#mask) this.#grow();
    this.#items[(this.#head + this.#size) & this.#mask] = item;
    this.#size++;
  }

  /** Removes and returns the oldest item; undefined when empty. */
  take(): T | undefined {
    if (this.#size === 0) return undefined;
    const item = this.#items[this.#head];
    // Clear the slot so a taken message can be garbage-collected.
    this.#items[this.#head] = undefined;
    this.#head = (this.#head + 1) & this.#mask;
    this.#size--;
    return item;
  }

  /** The oldest item without removing it. */
  peek(): T | undefined {
    return this.#size === 0 ? undefined : this.#items[this.#head];
  }

  /** Visits items oldest first (for sweeps such as call timeouts); does not remove them. */
  forEach(visit: (item: T) => void): void {
    for (let i = 0; i < this.#size; i++) visit(this.#items[(this.#head + i) & this.#mask] as T);
  }

  /** Removes every item and returns them oldest first. */
  clear(): T[] {
    const all: T[] = [];
    while (this.#size > 0) all.push(this.take() as T);
    return all;
  }

  #grow(): void {
    const old = this.#items;
    const capacity = old.length * 2;
    const items = new Array<T | undefined>(capacity);
    for (let i = 0; i < this.#size; i++) items[i] = old[(this.#head + i) & this.#mask];
    this.#items = items;
    this.#mask = capacity - 1;
    this.#head = 0;
  }
}
