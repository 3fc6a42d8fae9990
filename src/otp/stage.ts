// Stage: GenStage's idea on async iterators. A producer → consumer line with a bounded buffer,
// where demand flows backwards: consumers pull, and a producer that gets ahead waits.
//
// How it works: a BoundedChannel holds at most `capacity` items in a ring buffer. `push`
// resolves at once while there is room (or a consumer is already waiting, which takes the item
// directly); when the buffer is full it resolves only once a consumer has taken an item, so a
// fast producer is slowed to the consumers' pace instead of growing memory without limit.
// Consumers read with `for await`, each pull being one unit of demand. `pipe` pumps an
// (async) iterable into a channel, pulling the next item only when the last one found room,
// so a lazy producer does no work ahead of demand. `consume` runs N consumers.

import { RunnerStoppedError } from '../errors.ts';
import { RingQueue } from './ring-queue.ts';

interface BlockedProducer<T> {
  readonly item: T;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

export class BoundedChannel<T> implements AsyncIterable<T> {
  readonly capacity: number;
  readonly #name: string;
  readonly #buffer = new RingQueue<T>();
  readonly #producers = new RingQueue<BlockedProducer<T>>();
  readonly #consumers = new RingQueue<(result: IteratorResult<T>) => void>();
  readonly #onEnter: ((item: T) => void) | undefined;
  #closed = false;
  #highWater = 0;

  /** `onEnter` hears each item the moment it is accepted (buffered or handed over), before any consumer sees it. */
  constructor(capacity: number, name = 'stage', onEnter?: (item: T) => void) {
    this.capacity = capacity;
    this.#name = name;
    this.#onEnter = onEnter;
  }

  /** Items waiting in the buffer now. */
  get buffered(): number {
    return this.#buffer.size;
  }

  /** The most items the buffer ever held: never more than `capacity`. */
  get highWater(): number {
    return this.#highWater;
  }

  /** Producers waiting for room. */
  get blocked(): number {
    return this.#producers.size;
  }

  get closed(): boolean {
    return this.#closed;
  }

  // #region push
  /** Resolves once the item is buffered or handed over; waits while the buffer is full. */
  push(item: T): Promise<void> {
    if (this.#closed) return Promise.reject(new RunnerStoppedError(this.#name));
    const consumer = this.#consumers.take();
    if (consumer !== undefined) {
      this.#onEnter?.(item);
      consumer({ value: item, done: false });
      return Promise.resolve();
    }
    if (this.#buffer.size < this.capacity) {
      this.#onEnter?.(item);
      this.#buffer.push(item);
      if (this.#buffer.size > this.#highWater) this.#highWater = this.#buffer.size;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => this.#producers.push({ item, resolve, reject }));
  }
  // #endregion push

  /** One unit of demand: the next item, or done once closed and empty. */
  next(): Promise<IteratorResult<T>> {
    if (this.#buffer.size > 0) {
      const item = this.#buffer.take() as T;
      // Room opened: let one blocked producer in.
      const producer = this.#producers.take();
      if (producer !== undefined) {
        this.#onEnter?.(producer.item);
        this.#buffer.push(producer.item);
        producer.resolve();
      }
      return Promise.resolve({ value: item, done: false });
    }
    const producer = this.#producers.take(); // capacity 0: hand over directly
    if (producer !== undefined) {
      this.#onEnter?.(producer.item);
      producer.resolve();
      return Promise.resolve({ value: producer.item, done: false });
    }
    if (this.#closed) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => this.#consumers.push(resolve));
  }

  /** No more pushes; consumers finish what is buffered, then end. */
  close(): void {
    this.#closed = true;
    if (this.#buffer.size === 0 && this.#producers.size === 0) {
      for (const consumer of this.#consumers.clear()) consumer({ value: undefined, done: true });
    }
  }

  /** Ends now: returns the buffered items (dropped), rejects blocked producers, ends consumers. */
  abort(reason: Error = new RunnerStoppedError(this.#name)): T[] {
    this.#closed = true;
    const dropped = this.#buffer.clear();
    for (const producer of this.#producers.clear()) producer.reject(reason);
    for (const consumer of this.#consumers.clear()) consumer({ value: undefined, done: true });
    return dropped;
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return { next: () => this.next() };
  }
}

/** Pumps `source` into `channel`, pulling each next item only after the last found room; then closes it. */
export async function pipe<T>(source: Iterable<T> | AsyncIterable<T>, channel: BoundedChannel<T>): Promise<void> {
  for await (const item of source) {
    if (channel.closed) return;
    await channel.push(item);
  }
  channel.close();
}

/** Runs `concurrency` consumers over the channel until it ends; resolves when all have. */
export async function consume<T>(channel: BoundedChannel<T>, concurrency: number, handle: (item: T) => Promise<void>): Promise<void> {
  const worker = async () => {
    for await (const item of channel) await handle(item);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}
