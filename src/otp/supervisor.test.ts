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

/** Crashes the current counter and waits for the supervisor to react. */
async function crash(supervisor: Supervisor<Counter>): Promise<void> {
  const server = supervisor.which('counter');
  if (server === undefined) throw new Error('no counter to crash');
  server.cast('boom');
  await vi.waitFor(() => expect(supervisor.which('counter')).not.toBe(server));
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
});
