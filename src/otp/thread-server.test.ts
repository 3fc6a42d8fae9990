import { afterEach, describe, expect, it, vi } from 'vitest';
import { CallTimeoutError, MailboxFullError, NoProcError, ServerCrashedError } from '../errors.ts';
import type { JobReply, JobRequest } from './examples/job-server.ts';
import { Supervisor } from './supervisor.ts';
import { ThreadServer } from './thread-server.ts';

const counterModule = new URL('./examples/counter.ts', import.meta.url);
const jobModule = new URL('./examples/job-server.ts', import.meta.url);

type Counter = ThreadServer<'get' | 'inc-get' | 'boom', number, 'inc'>;
type JobThread = ThreadServer<JobRequest | 'count', JobReply | number, JobRequest>;

const live: { stop(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(live.splice(0).map((server) => server.stop()));
});

async function counter(): Promise<Counter> {
  const server: Counter = await ThreadServer.start({ module: counterModule });
  live.push(server);
  return server;
}

describe('ThreadServer (a GenServer in a worker thread)', () => {
  it('answers calls and handles casts in order, from another thread', async () => {
    const server = await counter();
    server.cast('inc');
    server.cast('inc');
    await expect(server.call('inc-get')).resolves.toBe(3);
  });

  it('a full mailbox in the thread refuses a call with MailboxFullError and drops casts, counted; the thread lives', async () => {
    const server: JobThread = await ThreadServer.start({ module: jobModule, mailboxCapacity: 2 });
    live.push(server);
    const threadId = server.threadId;
    // An async job holds the server while its thread still reads messages into the mailbox.
    const busy = server.call({ job: 'sleep', data: { ms: 400 } });
    const queued = [server.call('count'), server.call('count')];
    await new Promise((resolve) => setTimeout(resolve, 100));
    await expect(server.call('count')).rejects.toBeInstanceOf(MailboxFullError);
    for (let i = 0; i < 3; i++) server.cast({ job: 'noop', data: null });
    await expect(busy).resolves.toMatchObject({ ok: true });
    await expect(Promise.all(queued)).resolves.toEqual([1, 1]);
    expect(server.droppedCasts).toBe(3);
    expect(server.status).toBe('running');
    expect(server.threadId).toBe(threadId);
    await expect(server.call('count')).resolves.toBe(1);
  });

  it('rejects a call with CallTimeoutError when the thread is busy past the timeout', async () => {
    const server: JobThread = await ThreadServer.start({ module: jobModule });
    live.push(server);
    const busy = server.call({ job: 'cpu', data: { ms: 300 } });
    await expect(server.call('count', 20)).rejects.toBeInstanceOf(CallTimeoutError);
    await expect(busy).resolves.toMatchObject({ ok: true });
    // The late reply to the timed-out call was dropped; the next call is answered normally.
    await expect(server.call('count')).resolves.toBe(1);
  });

  it('a callback that throws ends the thread and gives the caller ServerCrashedError', async () => {
    const server = await counter();
    await expect(server.call('boom')).rejects.toBeInstanceOf(ServerCrashedError);
    await vi.waitFor(() => expect(server.status).toBe('crashed'));
    await expect(server.call('get')).rejects.toBeInstanceOf(ServerCrashedError);
  });

  it('a `crash` job kills only its thread: the main process lives and the supervisor starts a fresh thread', async () => {
    const supervisor = await Supervisor.start<JobThread>([{ id: 'jobs', start: () => ThreadServer.start({ module: jobModule }) }]);
    const first = supervisor.which('jobs');
    if (first === undefined) throw new Error('no first thread');
    await expect(first.call({ job: 'crash', data: null })).rejects.toBeInstanceOf(ServerCrashedError);
    await vi.waitFor(() => expect(supervisor.which('jobs')).toBeDefined(), { timeout: 10_000 });
    const second = supervisor.which('jobs');
    expect(second).not.toBe(first);
    expect(second?.threadId).not.toBe(first.threadId);
    expect(supervisor.restarts).toBe(1);
    await expect(second?.call({ job: 'lookup', data: { key: 'after' } })).resolves.toMatchObject({ ok: true });
    await supervisor.stop();
  });

  it('a CPU-bound job in the thread leaves the main event loop free', async () => {
    const server: JobThread = await ThreadServer.start({ module: jobModule });
    live.push(server);
    // Main-thread timer gaps while the thread computes for 400 ms: in-process, one gap would be 400 ms.
    let last = performance.now();
    let worstGap = 0;
    const ticker = setInterval(() => {
      const now = performance.now();
      worstGap = Math.max(worstGap, now - last);
      last = now;
    }, 5);
    try {
      await expect(server.call({ job: 'cpu', data: { ms: 400 } })).resolves.toMatchObject({ ok: true });
    } finally {
      clearInterval(ticker);
    }
    expect(worstGap).toBeLessThan(200);
  });

  it('refuses calls after stop with NoProcError', async () => {
    const server = await counter();
    await server.stop();
    await expect(server.call('get')).rejects.toBeInstanceOf(NoProcError);
  });
});
