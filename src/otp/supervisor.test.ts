import { afterEach, describe, expect, it, vi } from 'vitest';
import { GenServer, type ServerCallbacks } from './gen-server.ts';
import { Registry } from './registry.ts';
import { Supervisor, type SupervisorEvent } from './supervisor.ts';

type Counter = GenServer<number, 'get', number, 'inc' | 'boom'>;

const counter: ServerCallbacks<number, 'get', number, 'inc' | 'boom'> = {
  init: () => 0,
  handleCall: (_request, state) => ({ reply: state, state }),
  handleCast: (message, state) => {
    if (message === 'boom') throw new Error('boom');
    return state + 1;
  },
};

async function supervised(registry = new Registry<Counter>()) {
  const supervisor = await Supervisor.start<Counter>([
    {
      id: 'counter',
      start: async () => {
        const server = await GenServer.start(counter, { name: 'counter' });
        registry.register('counter', server);
        return server;
      },
    },
  ]);
  const events: SupervisorEvent[] = [];
  supervisor.onEvent((event) => events.push(event));
  return { supervisor, registry, events };
}

/** A child spec for a counter under `id`, started fresh each time. */
function counterSpec(id: string) {
  return { id, start: () => GenServer.start(counter, { name: id }) };
}

/** Crashes the current child `id` and waits for the supervisor to react. */
async function crash(supervisor: Supervisor<Counter>, id = 'counter'): Promise<void> {
  const server = supervisor.which(id);
  if (server === undefined) throw new Error(`no ${id} to crash`);
  server.cast('boom');
  await vi.waitFor(() => expect(supervisor.which(id)).not.toBe(server));
  // Let a restart's async start settle.
  await new Promise((resolve) => setImmediate(resolve));
}

afterEach(() => {
  vi.useRealTimers();
});

describe('Supervisor (one-for-one)', () => {
  it('restarts a crashed child with fresh state from init', async () => {
    const { supervisor, registry, events } = await supervised();
    const first = registry.lookup('counter');
    first.cast('inc');
    first.cast('inc');
    await expect(first.call('get')).resolves.toBe(2);
    await crash(supervisor);
    const second = registry.lookup('counter');
    expect(second).not.toBe(first);
    await expect(second.call('get')).resolves.toBe(0);
    expect(events.filter((e) => e.type === 'restarted')).toHaveLength(1);
    expect(supervisor.restarts).toBe(1);
    await supervisor.stop();
  });

  it('restarts 3 times within 5 s, then gives up on the 4th crash and reports it', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const { supervisor, events } = await supervised();
    for (let i = 0; i < 3; i++) await crash(supervisor);
    expect(supervisor.restarts).toBe(3);
    expect(supervisor.status).toBe('running');
    await crash(supervisor);
    expect(supervisor.status).toBe('gave-up');
    const report = await supervisor.whenGaveUp();
    expect(report).toMatchObject({ child: 'counter', restarts: 3 });
    expect(events.filter((e) => e.type === 'gave-up')).toHaveLength(1);
    expect(supervisor.which('counter')).toBeUndefined();
  });

  it('keeps restarting when crashes are spread wider than the 5 s window', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const { supervisor } = await supervised();
    for (let i = 0; i < 6; i++) {
      await crash(supervisor);
      vi.setSystemTime(Date.now() + 2000);
    }
    expect(supervisor.restarts).toBe(6);
    expect(supervisor.status).toBe('running');
    await supervisor.stop();
  });

  it('does not restart a child that stopped normally', async () => {
    const { supervisor, events } = await supervised();
    await supervisor.which('counter')?.stop();
    await new Promise((resolve) => setImmediate(resolve));
    expect(supervisor.which('counter')).toBeUndefined();
    expect(events.filter((e) => e.type === 'restarted')).toHaveLength(0);
  });

  it('a caller that looks the name up again after a crash reaches the new incarnation', async () => {
    const { supervisor, registry } = await supervised();
    await crash(supervisor);
    registry.lookup('counter').cast('inc');
    await expect(registry.lookup('counter').call('get')).resolves.toBe(1);
    await supervisor.stop();
  });

  it('one-for-one: a crash restarts only that child; its sibling keeps its incarnation and state', async () => {
    const supervisor = await Supervisor.start<Counter>([counterSpec('a'), counterSpec('b')]);
    const sibling = supervisor.which('b');
    sibling?.cast('inc');
    await crash(supervisor, 'a');
    expect(supervisor.which('b')).toBe(sibling);
    await expect(sibling?.call('get')).resolves.toBe(1);
    expect(supervisor.restarts).toBe(1);
    await supervisor.stop();
  });

  it('reports each crash as a `crashed` event followed by a `restarted` event with the running count', async () => {
    const { supervisor, events } = await supervised();
    await crash(supervisor);
    await crash(supervisor);
    expect(events.map((e) => [e.type, 'restarts' in e ? e.restarts : undefined])).toEqual([
      ['crashed', undefined],
      ['restarted', 1],
      ['crashed', undefined],
      ['restarted', 2],
    ]);
    const first = events[0];
    expect(first?.type === 'crashed' ? first.error.message : undefined).toBe('boom');
    await supervisor.stop();
  });

  it('on giving up, stops every other child', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const supervisor = await Supervisor.start<Counter>([counterSpec('a'), counterSpec('b')]);
    const sibling = supervisor.which('b');
    for (let i = 0; i < 4; i++) await crash(supervisor, 'a');
    expect(supervisor.status).toBe('gave-up');
    await vi.waitFor(() => expect(sibling?.status).toBe('stopped'));
    expect(supervisor.which('b')).toBeUndefined();
  });

  it('gives up at once, with `restart-failed` then `gave-up` events, when a restart cannot start the child', async () => {
    let starts = 0;
    const supervisor = await Supervisor.start<Counter>([
      {
        id: 'counter',
        start: () => (++starts === 1 ? GenServer.start(counter) : Promise.reject(new Error('cannot start'))),
      },
    ]);
    const events: SupervisorEvent[] = [];
    supervisor.onEvent((event) => events.push(event));
    supervisor.which('counter')?.cast('boom');
    const report = await supervisor.whenGaveUp();
    expect(report.error.message).toBe('cannot start');
    expect(events.map((e) => e.type)).toEqual(['crashed', 'restart-failed', 'gave-up']);
    expect(supervisor.status).toBe('gave-up');
  });
});
