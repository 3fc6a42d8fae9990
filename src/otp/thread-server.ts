// ThreadServer: a GenServer hosted in a worker thread, for crash isolation and CPU-bound
// callbacks. The main thread keeps only a proxy with the same call / cast / onExit / stop.
//
// How it works: the thread (thread-entry.js → thread-host.ts) loads a module exporting
// GenServer callbacks by name (functions cannot cross threads; a module URL can) and starts
// the server there. `call` posts `[CALL, id, request]` and parks the caller in a Map until the
// reply with that id comes back; timeouts are kept here (one sweep timer, as in GenServer) and
// a late reply is dropped. When the thread dies — a callback threw, or a `crash` job's uncaught
// exception — every parked caller gets ServerCrashedError at once and exit listeners (a
// Supervisor) hear `crash`, so the supervisor starts a fresh thread. The main process lives on.
// The worker is unref'd while no call waits, so an idle server never holds the process open.

import { Worker } from 'node:worker_threads';
import { CallTimeoutError, MailboxFullError, NoProcError, ServerCrashedError, toError } from '../errors.ts';
import { DEFAULT_MAILBOX_CAPACITY, type ExitReason } from './gen-server.ts';
import { CALL, CAST, DROPPED, READY, REPLY, type FromHost, type HostData } from './thread-protocol.ts';

export interface ThreadServerOptions {
  /** The module exporting the callbacks: a file: URL (import.meta.resolve or new URL(..., import.meta.url)). */
  readonly module: URL | string;
  /** The export holding the callbacks. Default `callbacks`. */
  readonly exportName?: string;
  readonly name?: string;
  /** Default `call` timeout. Default 5000 ms. */
  readonly callTimeoutMs?: number;
  /**
   * The thread's mailbox capacity (GenServer's default when absent). Past it a call rejects
   * with MailboxFullError and a cast is dropped in the thread and counted in `droppedCasts`:
   * a cast's sender cannot be told, it is in another thread and has moved on.
   */
  readonly mailboxCapacity?: number;
  /** Passed to the Worker: e.g. resourceLimits for a memory bomb. */
  readonly resourceLimits?: ConstructorParameters<typeof Worker>[1] extends infer O ? (O extends { resourceLimits?: infer R } ? R : never) : never;
}

interface Pending {
  readonly deadline: number;
  readonly timeoutMs: number;
  readonly resolve: (reply: unknown) => void;
  readonly reject: (error: Error) => void;
}

const entry = new URL('./thread-entry.js', import.meta.url);
let threadCount = 0;

export class ThreadServer<Call = unknown, Reply = unknown, Cast = unknown> {
  readonly name: string;
  readonly #worker: Worker;
  readonly #pending = new Map<number, Pending>();
  readonly #exitListeners = new Set<(reason: ExitReason) => void>();
  readonly #callTimeoutMs: number;
  #nextId = 0;
  #droppedCasts = 0;
  readonly #capacity: number;
  #status: 'running' | 'stopped' | 'crashed' = 'running';
  #crash: Error | undefined;
  #timer: NodeJS.Timeout | undefined;
  #timerDeadline = Infinity;

  private constructor(worker: Worker, name: string, callTimeoutMs: number, capacity: number) {
    this.#worker = worker;
    this.name = name;
    this.#callTimeoutMs = callTimeoutMs;
    this.#capacity = capacity;
  }

  /** Starts the thread and resolves once the server in it has run init. */
  static start<Call = unknown, Reply = unknown, Cast = unknown>(options: ThreadServerOptions): Promise<ThreadServer<Call, Reply, Cast>> {
    const name = options.name ?? `thread-server-${++threadCount}`;
    const workerData: HostData = { module: String(options.module), exportName: options.exportName ?? 'callbacks', name, ...(options.mailboxCapacity === undefined ? {} : { mailboxCapacity: options.mailboxCapacity }) };
    const worker = new Worker(entry, { workerData, resourceLimits: options.resourceLimits });
    const server = new ThreadServer<Call, Reply, Cast>(worker, name, options.callTimeoutMs ?? 5000, options.mailboxCapacity ?? DEFAULT_MAILBOX_CAPACITY);
    return new Promise((resolve, reject) => {
      const onError = (error: unknown) => {
        off();
        reject(toError(error));
      };
      const onExit = (code: number) => onError(new Error(`thread for \`${name}\` exited with code ${code} before init finished`));
      const onReady = () => {
        off();
        server.#listen();
        worker.unref();
        resolve(server);
      };
      // Remove only our own listeners: Worker keeps internal ones (removeAllListeners would stall its port).
      const off = () => {
        worker.off('error', onError).off('exit', onExit).off('message', onReady);
      };
      worker.once('error', onError).once('exit', onExit).once('message', onReady);
    });
  }

  get status(): 'running' | 'stopped' | 'crashed' {
    return this.#status;
  }

  /** Casts the thread's full mailbox refused (see ThreadServerOptions.mailboxCapacity). */
  get droppedCasts(): number {
    return this.#droppedCasts;
  }

  /** The worker's thread id, so a test can tell one incarnation from the next. */
  get threadId(): number {
    return this.#worker.threadId;
  }

  call(request: Call, timeoutMs = this.#callTimeoutMs): Promise<Reply> {
    if (this.#status !== 'running') return Promise.reject(this.#refusal());
    return new Promise<Reply>((resolve, reject) => {
      const id = this.#nextId++;
      const deadline = performance.now() + timeoutMs;
      this.#pending.set(id, { deadline, timeoutMs, resolve: resolve as (reply: unknown) => void, reject });
      // While a caller waits, the thread must keep the process alive.
      if (this.#pending.size === 1) this.#worker.ref();
      if (deadline < this.#timerDeadline) this.#armTimer(deadline);
      this.#worker.postMessage([CALL, id, request]);
    });
  }

  cast(message: Cast): void {
    if (this.#status !== 'running') throw this.#refusal();
    this.#worker.postMessage([CAST, message]);
  }

  onExit(listener: (reason: ExitReason) => void): () => void {
    this.#exitListeners.add(listener);
    return () => this.#exitListeners.delete(listener);
  }

  /** Ends the thread; parked callers get NoProcError. */
  async stop(): Promise<void> {
    if (this.#status !== 'running') return;
    this.#exit({ kind: 'normal' });
    await this.#worker.terminate();
  }

  #listen(): void {
    this.#worker.on('message', (message: FromHost) => {
      if (message[0] === READY) return;
      if (message[0] === DROPPED) {
        this.#droppedCasts++;
        return;
      }
      const pending = this.#pending.get(message[1]);
      if (pending === undefined) return; // timed out earlier: the late reply is dropped
      this.#pending.delete(message[1]);
      if (this.#pending.size === 0) this.#worker.unref();
      if (message[0] === REPLY) pending.resolve(message[2]);
      // A full mailbox is a refusal, not a crash: the server is alive and answers later calls.
      else if (message[3] === 'MAILBOX_FULL') pending.reject(new MailboxFullError(this.name, this.#capacity));
      else pending.reject(new ServerCrashedError(this.name, new Error(message[2])));
    });
    this.#worker.on('error', (error) => this.#exit({ kind: 'crash', error }));
    this.#worker.on('exit', (code) => this.#exit({ kind: 'crash', error: new Error(`thread exited with code ${code}`) }));
  }

  #armTimer(deadline: number): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timerDeadline = deadline;
    this.#timer = setTimeout(() => this.#sweep(), Math.max(0, deadline - performance.now()) + 1);
    // The worker's ref, not this timer, decides whether the process stays up.
    this.#timer.unref();
  }

  #sweep(): void {
    this.#timer = undefined;
    this.#timerDeadline = Infinity;
    const at = performance.now();
    let next = Infinity;
    for (const [id, pending] of this.#pending) {
      if (pending.deadline <= at) {
        this.#pending.delete(id);
        pending.reject(new CallTimeoutError(this.name, pending.timeoutMs));
      } else if (pending.deadline < next) next = pending.deadline;
    }
    if (this.#pending.size === 0) this.#worker.unref();
    if (next !== Infinity) this.#armTimer(next);
  }

  #refusal(): Error {
    return this.#status === 'crashed' ? new ServerCrashedError(this.name, this.#crash) : new NoProcError(this.name);
  }

  #exit(reason: ExitReason): void {
    if (this.#status !== 'running') return; // 'error' is followed by 'exit': report once
    this.#status = reason.kind === 'crash' ? 'crashed' : 'stopped';
    if (reason.kind === 'crash') this.#crash = reason.error;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    const error = this.#refusal();
    for (const pending of this.#pending.values()) pending.reject(error);
    this.#pending.clear();
    this.#worker.unref();
    for (const listener of this.#exitListeners) listener(reason);
  }
}
