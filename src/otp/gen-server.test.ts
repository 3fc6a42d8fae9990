import { afterEach, describe, expect, it, vi } from 'vitest';
import { CallTimeoutError, MailboxFullError, NoProcError, ServerCrashedError } from '../errors.ts';
import { GenServer, type ExitReason, type ServerCallbacks } from './gen-server.ts';

type Msg = { readonly from: string; readonly n: number };

// Records every cast in arrival order; `log` call returns the record.
const recorder: ServerCallbacks<Msg[], 'log', Msg[], Msg> = {
  init: () => [],
  handleCast: (message, state) => {
    state.push(message);
    return state;
  },
  handleCall: (_request, state) => ({ reply: [...state], state }),
};

const counter: ServerCallbacks<number, 'get' | 'boom' | { wait: Promise<void> }, number, 'inc' | 'boom'> = {
  init: () => 0,
  handleCall: async (request, state) => {
    if (request === 'boom') throw new Error('boom in handleCall');
    if (request !== 'get') await request.wait;
    return { reply: state, state };
  },
  handleCast: (message, state) => {
    if (message === 'boom') throw new Error('boom in handleCast');
    return state + 1;
  },
};

afterEach(() => {
  vi.useRealTimers();
});

describe('GenServer', () => {
  it('handles messages from one sender in the order they were sent', async () => {
    const server = await GenServer.start(recorder);
    for (let n = 0; n < 1000; n++) {
      server.cast({ from: 'a', n });
      server.cast({ from: 'b', n });
    }
    const log = await server.call('log');
    for (const sender of ['a', 'b']) {
      expect(log.filter((m) => m.from === sender).map((m) => m.n)).toEqual(Array.from({ length: 1000 }, (_, n) => n));
    }
  });

  it('a call sent after casts sees their effects (one mailbox, in order)', async () => {
    const server = await GenServer.start(counter);
    for (let i = 0; i < 5; i++) server.cast('inc');
    await expect(server.call('get')).resolves.toBe(5);
  });

  it('waits for an async callback before taking the next message', async () => {
    const server = await GenServer.start(counter);
    let open!: () => void;
    const wait = new Promise<void>((resolve) => (open = resolve));
    const first = server.call({ wait });
    server.cast('inc');
    await Promise.resolve();
    expect(server.queued).toBe(1);
    open();
    await expect(first).resolves.toBe(0);
    await expect(server.call('get')).resolves.toBe(1);
  });

  it('rejects a call with CallTimeoutError when no reply comes in time, and drops the late reply', async () => {
    const server = await GenServer.start(counter);
    let open!: () => void;
    const wait = new Promise<void>((resolve) => (open = resolve));
    const slow = server.call({ wait }, 30);
    await expect(slow).rejects.toBeInstanceOf(CallTimeoutError);
    open();
    // The server still handled the request; the next call is answered normally.
    await expect(server.call('get')).resolves.toBe(0);
    expect(server.status).toBe('running');
  });

  it('gives the pending caller and every queued caller ServerCrashedError when a callback throws', async () => {
    const server = await GenServer.start(counter);
    const crashing = server.call('boom');
    const queued = [server.call('get'), server.call('get')];
    const results = await Promise.allSettled([crashing, ...queued]);
    for (const result of results) {
      expect(result.status).toBe('rejected');
      expect((result as PromiseRejectedResult).reason).toBeInstanceOf(ServerCrashedError);
    }
    expect(server.status).toBe('crashed');
  });

  it('refuses later calls and casts at once after a crash', async () => {
    const server = await GenServer.start(counter);
    server.cast('boom');
    await expect(server.call('get')).rejects.toBeInstanceOf(ServerCrashedError);
    expect(() => server.cast('inc')).toThrow(ServerCrashedError);
    await expect(server.call('get')).rejects.toBeInstanceOf(ServerCrashedError);
  });

  it('drops queued casts on a crash and counts them', async () => {
    const server = await GenServer.start(counter);
    server.cast('boom');
    server.cast('inc');
    server.cast('inc');
    await Promise.resolve();
    expect(server.status).toBe('crashed');
    expect(server.droppedOnExit).toBe(2);
  });

  it('tells exit listeners why it ended, and runs terminate once', async () => {
    const reasons: ExitReason[] = [];
    let terminated = 0;
    const server = await GenServer.start({ ...counter, terminate: () => void terminated++ });
    server.onExit((reason) => reasons.push(reason));
    server.cast('boom');
    await expect(server.call('get')).rejects.toThrow();
    expect(reasons).toHaveLength(1);
    expect(reasons[0]?.kind).toBe('crash');
    expect(terminated).toBe(1);
  });

  it('refuses a message past its mailbox capacity with MailboxFullError (reject policy)', async () => {
    const server = await GenServer.start(counter, { mailboxCapacity: 3 });
    server.cast('inc');
    server.cast('inc');
    server.cast('inc');
    expect(() => server.cast('inc')).toThrow(MailboxFullError);
    await expect(server.call('get')).rejects.toBeInstanceOf(MailboxFullError);
    // Once drained, it accepts again.
    await Promise.resolve();
    await expect(server.call('get')).resolves.toBe(3);
  });

  it('answers NoProcError after a normal stop', async () => {
    const server = await GenServer.start(counter);
    await server.stop();
    await expect(server.call('get')).rejects.toBeInstanceOf(NoProcError);
    expect(server.status).toBe('stopped');
  });

  it('handles info messages in mailbox order with handleInfo', async () => {
    const seen: string[] = [];
    const server = await GenServer.start<null, 'sync', null, string, string>({
      init: () => null,
      handleCast: (message, state) => (seen.push(`cast:${message}`), state),
      handleInfo: (message, state) => (seen.push(`info:${message}`), state),
      handleCall: (_request, state) => ({ reply: null, state }),
    });
    server.cast('1');
    server.send('2');
    server.cast('3');
    await server.call('sync');
    expect(seen).toEqual(['cast:1', 'info:2', 'cast:3']);
  });

  it('keeps draining past one batch (a busy server yields, then carries on)', async () => {
    const server = await GenServer.start(counter, { batch: 10 });
    for (let i = 0; i < 105; i++) server.cast('inc');
    await expect(server.call('get')).resolves.toBe(105);
  });

  it('times a call out after 5 s by default, as Elixir does', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    const server = await GenServer.start(counter);
    const outcome: unknown[] = [];
    server.call({ wait: new Promise<void>(() => undefined) }).catch((error: unknown) => outcome.push(error));
    await vi.advanceTimersByTimeAsync(4990);
    expect(outcome).toEqual([]);
    await vi.advanceTimersByTimeAsync(20);
    expect(outcome).toHaveLength(1);
    expect(outcome[0]).toBeInstanceOf(CallTimeoutError);
    expect((outcome[0] as CallTimeoutError).timeoutMs).toBe(5000);
  });

  it('stop() lets the message in hand finish: its caller gets the reply, queued callers NoProcError, then terminate', async () => {
    const order: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const server = await GenServer.start<null, 'slow' | 'next', string>({
      init: () => null,
      handleCall: async (request, state) => {
        if (request === 'slow') {
          await gate;
          order.push('handler done');
        }
        return { reply: request, state };
      },
      terminate: () => void order.push('terminate'),
    });
    const inHand = server.call('slow');
    const queued = server.call('next');
    const stopped = server.stop().then(() => order.push('stopped'));
    release();
    await expect(inHand).resolves.toBe('slow');
    await expect(queued).rejects.toBeInstanceOf(NoProcError);
    await stopped;
    expect(order).toEqual(['handler done', 'terminate', 'stopped']);
    expect(server.status).toBe('stopped');
  });

  it('stop() does not wait past its deadline for a handler that never settles: the server stops, terminate runs, its caller gets NoProcError', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    const order: string[] = [];
    const server = await GenServer.start<null, 'hang', string>(
      { init: () => null, handleCall: () => new Promise(() => undefined), terminate: () => void order.push('terminate') },
      { callTimeoutMs: 60_000 },
    );
    const inHand = server.call('hang').catch((error: unknown) => error);
    let stopped = false;
    void server.stop(1000).then(() => (stopped = true));
    await vi.advanceTimersByTimeAsync(990);
    expect(stopped).toBe(false);
    await vi.advanceTimersByTimeAsync(20);
    expect(stopped).toBe(true);
    expect(order).toEqual(['terminate']);
    expect(await inHand).toBeInstanceOf(NoProcError);
    expect(server.status).toBe('stopped');
  });

  it('stop() waits for a handler in hand at most the server\'s callTimeoutMs by default', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    const server = await GenServer.start<null, never, never, 'hang'>({ init: () => null, handleCast: () => new Promise(() => undefined) }, { callTimeoutMs: 2000 });
    server.cast('hang');
    await vi.advanceTimersByTimeAsync(0);
    let stopped = false;
    void server.stop().then(() => (stopped = true));
    await vi.advanceTimersByTimeAsync(1990);
    expect(stopped).toBe(false);
    await vi.advanceTimersByTimeAsync(20);
    expect(stopped).toBe(true);
  });

  it('runs terminate with reason normal on stop, and tells exit listeners', async () => {
    const reasons: ExitReason[] = [];
    const terminated: ExitReason[] = [];
    const server = await GenServer.start({ ...counter, terminate: (reason) => void terminated.push(reason) });
    server.onExit((reason) => reasons.push(reason));
    await server.stop();
    expect(terminated).toEqual([{ kind: 'normal' }]);
    expect(reasons).toEqual([{ kind: 'normal' }]);
  });

  it('rejects start when init throws, with init\'s own error', async () => {
    const own = new Error('init failed');
    await expect(
      GenServer.start({
        init: () => {
          throw own;
        },
      }),
    ).rejects.toBe(own);
  });

  it('yields to the event loop after `batch` messages in a row', async () => {
    const server = await GenServer.start(counter, { batch: 10 });
    for (let i = 0; i < 100; i++) server.cast('inc');
    // Scheduled before the drain: it runs once the first batch has used up its turn.
    const seenByImmediate = new Promise<number>((resolve) => setImmediate(() => resolve(100 - server.queued)));
    await expect(seenByImmediate).resolves.toBe(10);
    await expect(server.call('get')).resolves.toBe(100);
  });

  it('a cast is never handled inside cast(): its sender carries on first', async () => {
    const server = await GenServer.start(recorder);
    server.cast({ from: 'a', n: 1 });
    expect(server.queued).toBe(1);
    await expect(server.call('log')).resolves.toHaveLength(1);
  });

  it('a call to an idle server is handled in the caller\'s turn (nothing is ahead of it)', async () => {
    let handled = 0;
    const server = await GenServer.start<null, 'ping', 'pong'>({
      init: () => null,
      handleCall: (_request, state) => (handled++, { reply: 'pong', state }),
    });
    const reply = server.call('ping');
    expect(handled).toBe(1);
    await expect(reply).resolves.toBe('pong');
  });
});

