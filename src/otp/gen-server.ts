// GenServer: private state and one mailbox handled strictly in order, Elixir's GenServer in Node.
//
// How it works: `call`, `cast` and `send` (info) put a message on a ring-buffer mailbox
// (O(1), no Array.shift; a cast or info is two slots, kind and payload, with no envelope
// allocated: see mailbox.ts) and, if the server is idle, schedule one drain as a microtask, so
// no timer stands between a message and its handling. The drain hands messages to the
// callbacks one at a time; a callback that returns a promise is awaited before the next
// message, so order holds for async work too. After `batch` messages in a row the drain
// continues on setImmediate, so a busy server cannot starve the event loop. A `call` to an idle
// server with an empty mailbox is handled at once, in the caller's turn: nothing is ahead of it,
// and the caller waits for the reply anyway. (A cast is always deferred: its sender goes on first.)
// Call timeouts use one timer per server, not one per call: it sweeps pending calls when the
// earliest deadline passes. It is always unref'd (toggling ref per call cost more than the rest
// of a call), so, as with any promise in Node, a caller waiting on a server that waits on nothing
// alive does not keep the process running.
// A callback that throws (or rejects) crashes the server: the caller in flight and every queued
// caller get ServerCrashedError at once, queued casts are dropped (counted), later calls are
// refused, and exit listeners (a supervisor) hear why.

import { CallTimeoutError, MailboxFullError, NoProcError, ServerCrashedError, toError } from '../errors.ts';
import { EMPTY, Mailbox } from './mailbox.ts';

/** What handleCall returns: the reply for the caller and the next state. */
export interface CallResult<Reply, State> {
  readonly reply: Reply;
  readonly state: State;
}

type MaybePromise<T> = T | Promise<T>;

export type ExitReason = { readonly kind: 'normal' } | { readonly kind: 'crash'; readonly error: Error };

/**
 * The callbacks a server is made of. Each receives the current state and returns the next one
 * (or a promise of it). A state that is itself a thenable is not supported.
 */
export interface ServerCallbacks<State, Call = never, Reply = never, Cast = never, Info = never> {
  init(): MaybePromise<State>;
  handleCall?(request: Call, state: State): MaybePromise<CallResult<Reply, State>>;
  handleCast?(message: Cast, state: State): MaybePromise<State>;
  handleInfo?(message: Info, state: State): MaybePromise<State>;
  /** Called once when the server stops or crashes; errors thrown here are ignored. */
  terminate?(reason: ExitReason, state: State): void;
}

/** Messages a mailbox holds when ServerOptions.mailboxCapacity is not given. */
export const DEFAULT_MAILBOX_CAPACITY = 1_000_000;

export interface ServerOptions {
  /** Shown in errors and used by registries. */
  readonly name?: string;
  /**
   * Messages the mailbox holds before refusing more. Overflow policy: reject, never wait —
   * `cast`/`send` throw MailboxFullError and `call` rejects with it. Default 1,000,000.
   */
  readonly mailboxCapacity?: number;
  /** Default `call` timeout, as Elixir's: 5000 ms. */
  readonly callTimeoutMs?: number;
  /** Messages handled per turn before yielding to the event loop. Default 1024. */
  readonly batch?: number;
}

// Message kinds, as stored in the mailbox beside each payload.
const CALL = 0;
const CAST = 1;
const INFO = 2;

/** A call's payload in the mailbox: the request and the way back to its caller. */
interface CallEnvelope {
  readonly request: unknown;
  deadline: number;
  readonly timeoutMs: number;
  resolve: ((value: unknown) => void) | undefined;
  reject: ((error: Error) => void) | undefined;
}

type Status = 'running' | 'stopped' | 'crashed';

let serverCount = 0;
const resolved = Promise.resolve();

export class GenServer<State, Call = never, Reply = never, Cast = never, Info = never> {
  readonly name: string;
  readonly #callbacks: ServerCallbacks<State, Call, Reply, Cast, Info>;
  readonly #mailbox = new Mailbox(64);
  readonly #capacity: number;
  readonly #callTimeoutMs: number;
  readonly #batch: number;
  readonly #exitListeners = new Set<(reason: ExitReason) => void>();
  #state: State;
  #status: Status = 'running';
  #crash: Error | undefined;
  // True while a drain is scheduled or running: at most one drain at a time keeps order.
  #draining = false;
  // The call being handled now; it is no longer in the mailbox but still owed a reply.
  #current: CallEnvelope | undefined;
  #timer: NodeJS.Timeout | undefined;
  #timerDeadline = Infinity;
  #droppedOnExit = 0;
  // An async callback is running: stop() waits for it (see #await).
  #inHand = false;
  readonly #stopWaiters: (() => void)[] = [];
  readonly #drain = () => this.#run();

  private constructor(callbacks: ServerCallbacks<State, Call, Reply, Cast, Info>, state: State, options: ServerOptions) {
    this.#callbacks = callbacks;
    this.#state = state;
    this.name = options.name ?? `server-${++serverCount}`;
    this.#capacity = options.mailboxCapacity ?? DEFAULT_MAILBOX_CAPACITY;
    this.#callTimeoutMs = options.callTimeoutMs ?? 5000;
    this.#batch = options.batch ?? 1024;
  }

  /** Runs `init` and resolves with the running server; rejects if init throws (nothing started). */
  static async start<State, Call = never, Reply = never, Cast = never, Info = never>(
    callbacks: ServerCallbacks<State, Call, Reply, Cast, Info>,
    options: ServerOptions = {},
  ): Promise<GenServer<State, Call, Reply, Cast, Info>> {
    const state = await callbacks.init();
    return new GenServer(callbacks, state, options);
  }

  get status(): Status {
    return this.#status;
  }

  /** Messages waiting in the mailbox (not counting the one being handled). */
  get queued(): number {
    return this.#mailbox.size;
  }

  /** Queued messages thrown away when the server stopped or crashed. */
  get droppedOnExit(): number {
    return this.#droppedOnExit;
  }

  // #region call
  /** Sends a request and waits for the reply; rejects with CallTimeoutError after `timeoutMs`. */
  call(request: Call, timeoutMs = this.#callTimeoutMs): Promise<Reply> {
    if (this.#status !== 'running') return Promise.reject(this.#refusal());
    if (this.#mailbox.size >= this.#capacity) return Promise.reject(new MailboxFullError(this.name, this.#capacity));
    return new Promise<Reply>((resolve, reject) => {
      const envelope: CallEnvelope = { request, deadline: Infinity, timeoutMs, resolve: resolve as (value: unknown) => void, reject };
      if (!this.#draining) {
        // Idle server, empty mailbox: nothing is ahead of this call, so handle it now instead of
        // a microtask later. Order is unchanged; it saves a hop (about half a call's cost).
        this.#draining = true;
        this.#mailbox.push(CALL, envelope);
        this.#run();
        if (envelope.resolve === undefined) return; // answered (or crashed) already: no deadline needed
      } else {
        this.#enqueue(CALL, envelope);
      }
      // Clock read only for calls that wait: performance.now() costs about 60 ns.
      envelope.deadline = performance.now() + timeoutMs;
      if (envelope.deadline < this.#timerDeadline) this.#armTimer(envelope.deadline);
    });
  }
  // #endregion call

  /** Sends a message with no reply. Throws MailboxFullError when full, NoProcError/ServerCrashedError when down. */
  cast(message: Cast): void {
    if (this.#status !== 'running') throw this.#refusal();
    if (this.#mailbox.size >= this.#capacity) throw new MailboxFullError(this.name, this.#capacity);
    this.#enqueue(CAST, message);
  }

  /** An "info" message, as from a timer or a monitor: handled by handleInfo, in mailbox order. */
  send(message: Info): void {
    if (this.#status !== 'running') throw this.#refusal();
    if (this.#mailbox.size >= this.#capacity) throw new MailboxFullError(this.name, this.#capacity);
    this.#enqueue(INFO, message);
  }

  /** Listens for the server's end; returns the unsubscribe function. */
  onExit(listener: (reason: ExitReason) => void): () => void {
    this.#exitListeners.add(listener);
    return () => this.#exitListeners.delete(listener);
  }

  /**
   * Stops the server after the message in hand: an async callback still running finishes and
   * its caller gets the reply; then queued messages are dropped and queued callers get
   * NoProcError, as when an Elixir server stops. Resolves once terminate ran.
   * A callback that has not settled within `timeoutMs` (default: the server's callTimeoutMs)
   * is not waited for: the server stops without it, its caller gets NoProcError, and a late
   * settle is ignored. A handler that never settles would otherwise hold stop() forever.
   */
  stop(timeoutMs: number = this.#callTimeoutMs): Promise<void> {
    if (this.#status !== 'running') return Promise.resolve();
    if (!this.#inHand) {
      this.#exit({ kind: 'normal' });
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.#stopWaiters.push(resolve);
      const deadline = setTimeout(() => this.#exit({ kind: 'normal' }), timeoutMs);
      this.#stopWaiters.push(() => clearTimeout(deadline));
    });
  }

  #enqueue(kind: number, payload: unknown): void {
    this.#mailbox.push(kind, payload);
    if (!this.#draining) {
      this.#draining = true;
      // A then on a settled promise, not queueMicrotask: Node wraps each queueMicrotask
      // callback for async_hooks, which measured about 90 ns more per call here.
      void resolved.then(this.#drain);
    }
  }

  /**
   * Handles messages until the mailbox is empty, a callback goes async, or the batch is used up.
   * One try around the whole loop, not one per message: any throw in here is a callback's
   * (replying cannot throw), and it ends the loop either way.
   */
  #run(): void {
    const mailbox = this.#mailbox;
    let handled = 0;
    try {
      while (this.#status === 'running') {
        const kind = mailbox.peekKind();
        if (kind === EMPTY) {
          this.#draining = false;
          return;
        }
        const payload = mailbox.take();
        const outcome = this.#dispatch(kind, payload);
        if (isThenable(outcome)) {
          this.#await(kind, payload, outcome);
          return;
        }
        this.#settle(kind, payload, outcome);
        if (++handled >= this.#batch) {
          // Let timers and I/O run before the next batch.
          setImmediate(this.#drain);
          return;
        }
      }
    } catch (error) {
      this.#exit({ kind: 'crash', error: toError(error) });
    }
  }

  /** Async callback: the next message waits for it, which is what keeps order. */
  #await(kind: number, payload: unknown, outcome: PromiseLike<unknown>): void {
    this.#inHand = true;
    outcome.then(
      (value) => {
        this.#inHand = false;
        if (this.#status !== 'running') return;
        this.#settle(kind, payload, value);
        // stop() came while this message was in hand: it is answered; now the server stops.
        if (this.#stopWaiters.length > 0) this.#exit({ kind: 'normal' });
        else this.#run();
      },
      (error: unknown) => {
        this.#inHand = false;
        this.#exit({ kind: 'crash', error: toError(error) });
      },
    );
  }

  #dispatch(kind: number, payload: unknown): unknown {
    const callbacks = this.#callbacks;
    if (kind === CAST) {
      // Checked first: casts are the bulk of a busy server's mail.
      if (callbacks.handleCast === undefined) throw new Error(`server \`${this.name}\` has no handleCast`);
      return callbacks.handleCast(payload as Cast, this.#state);
    }
    if (kind === CALL) {
      const call = payload as CallEnvelope;
      this.#current = call;
      if (callbacks.handleCall === undefined) throw new Error(`server \`${this.name}\` has no handleCall`);
      return callbacks.handleCall(call.request as Call, this.#state);
    }
    if (callbacks.handleInfo === undefined) return this.#state; // unexpected info is ignored, as in Elixir
    return callbacks.handleInfo(payload as Info, this.#state);
  }

  /** Stores the new state; for a call, replies unless the caller already gave up. */
  #settle(kind: number, payload: unknown, outcome: unknown): void {
    if (kind !== CALL) {
      this.#state = outcome as State;
      return;
    }
    const { reply, state } = outcome as CallResult<Reply, State>;
    this.#state = state;
    const call = payload as CallEnvelope;
    this.#current = undefined;
    const resolve = call.resolve;
    if (resolve === undefined) return; // timed out earlier: the late reply is dropped
    call.resolve = call.reject = undefined;
    resolve(reply);
  }

  #armTimer(deadline: number): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timerDeadline = deadline;
    this.#timer = setTimeout(() => this.#sweep(), Math.max(0, deadline - performance.now()) + 1);
    this.#timer.unref();
  }

  /** Rejects every call past its deadline, then re-arms for the earliest one left. */
  #sweep(): void {
    this.#timer = undefined;
    this.#timerDeadline = Infinity;
    const at = performance.now();
    let next = Infinity;
    const check = (call: CallEnvelope) => {
      if (call.reject === undefined) return;
      if (call.deadline <= at) {
        const reject = call.reject;
        call.resolve = call.reject = undefined;
        reject(new CallTimeoutError(this.name, call.timeoutMs));
      } else if (call.deadline < next) next = call.deadline;
    };
    if (this.#current !== undefined) check(this.#current);
    this.#mailbox.forEach((kind, payload) => {
      if (kind === CALL) check(payload as CallEnvelope);
    });
    if (next !== Infinity) this.#armTimer(next);
  }

  #refusal(): Error {
    return this.#status === 'crashed' ? new ServerCrashedError(this.name, this.#crash) : new NoProcError(this.name);
  }

  #exit(reason: ExitReason): void {
    if (this.#status !== 'running') return;
    this.#status = reason.kind === 'crash' ? 'crashed' : 'stopped';
    if (reason.kind === 'crash') this.#crash = reason.error;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    const error = this.#refusal();
    const owed = this.#current;
    this.#current = undefined;
    if (owed !== undefined) rejectCall(owed, error);
    this.#mailbox.clear((kind, payload) => {
      this.#droppedOnExit++;
      if (kind === CALL) rejectCall(payload as CallEnvelope, error);
    });
    this.#draining = false;
    try {
      this.#callbacks.terminate?.(reason, this.#state);
    } catch {
      // terminate is best effort: the server is already down.
    }
    for (const listener of this.#exitListeners) listener(reason);
    for (const resolve of this.#stopWaiters.splice(0)) resolve();
  }
}

/** Rejects a waiting caller once; a call already answered or timed out is left alone. */
function rejectCall(call: CallEnvelope, error: Error): void {
  const reject = call.reject;
  call.resolve = call.reject = undefined;
  reject?.(error);
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

