// The contract's order for one job (accepted, then what the Worker reports) when the Worker is
// quicker than the reply to the add that stored the job, as CI saw on PostgreSQL.

import { describe, expect, it } from 'vitest';
import type { LifecycleEvent } from '../../contract.ts';
import { EventHub } from '../support.ts';
import { AcceptedFirst } from './accepted-first.ts';

function setup(): { order: AcceptedFirst; seen: () => string[]; events: LifecycleEvent[] } {
  const hub = new EventHub();
  const events: LifecycleEvent[] = [];
  hub.on((e) => events.push(e));
  return { order: new AcceptedFirst(hub, true), events, seen: () => events.map((e) => `${e.type} ${e.jobId}`) };
}

/** A store write that answers when told to. */
function write(): { store: () => Promise<{ id: string }>; answer: (id: string) => Promise<void>; fail: () => Promise<void> } {
  let resolve = (_: { id: string }): void => undefined;
  let reject = (_: Error): void => undefined;
  const written = new Promise<{ id: string }>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  const settled = (): Promise<void> => new Promise((r) => setImmediate(r));
  return {
    store: () => written,
    answer: (id) => (resolve({ id }), settled()),
    fail: () => (reject(new Error('store went away')), settled()),
  };
}

describe('AcceptedFirst', () => {
  it("holds a job's started and completed until its add answers, then emits accepted first, each at the time it happened", async () => {
    const { order, events, seen } = setup();
    const a = write();
    const added = order.add('noop', a.store);
    order.emit('started', '7', 'noop', 1);
    order.emit('completed', '7', 'noop', 1);
    expect(seen()).toEqual([]);
    await a.answer('7');
    expect((await added).id).toBe('7');
    expect(seen()).toEqual(['accepted 7', 'started 7', 'completed 7']);
    const [accepted, started] = events as [LifecycleEvent, LifecycleEvent];
    expect(started.at).toBeLessThan(accepted.at);
  });

  it("sends a job's events at once once its accepted has gone out, while other adds are still waiting", async () => {
    const { order, seen } = setup();
    const a = write();
    const b = write();
    const addedA = order.add('noop', a.store);
    await a.answer('1');
    await addedA;
    void order.add('noop', b.store);
    order.emit('started', '1', 'noop', 1);
    expect(seen()).toEqual(['accepted 1', 'started 1']);
  });

  it("releases another producer's job once the adds begun before it answered, not waiting for later ones", async () => {
    const { order, seen } = setup();
    const a = write();
    const b = write();
    void order.add('noop', a.store);
    order.emit('started', 'other', 'noop', 1);
    void order.add('noop', b.store);
    order.emit('completed', 'other', 'noop', 1);
    await a.answer('1');
    // The completed came after add b began, yet goes out with its started: one job, one order.
    expect(seen()).toEqual(['accepted 1', 'started other', 'completed other']);
    await b.answer('2');
    expect(seen()).toEqual(['accepted 1', 'started other', 'completed other', 'accepted 2']);
  });

  it('releases what it held when the add fails, and everything on flush', async () => {
    const { order, seen } = setup();
    const a = write();
    const added = order.add('noop', a.store).catch((e: unknown) => e);
    order.emit('started', 'x', 'noop', 1);
    await a.fail();
    expect(await added).toBeInstanceOf(Error);
    expect(seen()).toEqual(['started x']);
    const b = write();
    void order.add('noop', b.store);
    order.emit('started', 'y', 'noop', 1);
    order.flush();
    expect(seen()).toEqual(['started x', 'started y']);
  });
});
