// Micro benchmarks for src/otp: each kit case sits beside the raw operation it wraps, measured
// in the same run, so the kit's own cost shows as a ratio to what a user would write without it.
// Every case runs `batch` operations per call: tinybench times one call with one timer read,
// which would swamp sub-microsecond work (the timer read costs more than the operation).
// Setup and teardown stay outside.

import { Worker } from 'node:worker_threads';
import { GenServer, type ServerCallbacks } from '../../src/otp/gen-server.ts';
import { Task } from '../../src/otp/task.ts';
import { ThreadServer } from '../../src/otp/thread-server.ts';
import type { MicroCase, MicroSuite } from '../types.ts';

const one = () => 1;

const taskSuite: MicroSuite = {
  name: 'otp-task',
  setup() {
    const batch = 100;
    const cases: MicroCase[] = [
      {
        name: 'bare promise (then + await)',
        batch,
        fn: async () => {
          for (let i = 0; i < batch; i++) await Promise.resolve().then(one);
        },
      },
      {
        name: 'Task.start + await',
        baselineOf: 'bare promise (then + await)',
        batch,
        fn: async () => {
          for (let i = 0; i < batch; i++) await Task.start(one).await();
        },
      },
    ];
    return Promise.resolve({ cases, teardown: () => Promise.resolve() });
  },
};

type Counts = Map<string, number>;

// The seed registry's shape at its smallest: a Map of counters behind one mailbox.
const counts: ServerCallbacks<Counts, string, number, string> = {
  init: () => new Map(),
  handleCall: (key, state) => {
    const next = (state.get(key) ?? 0) + 1;
    state.set(key, next);
    return { reply: next, state };
  },
  handleCast: (key, state) => state.set(key, (state.get(key) ?? 0) + 1),
};

const genServerSuite: MicroSuite = {
  name: 'otp-genserver',
  async setup() {
    const server = await GenServer.start(counts);
    const map: Counts = new Map();
    const bump = () => {
      const next = (map.get('k') ?? 0) + 1;
      map.set('k', next);
      return next;
    };
    const calls = 100;
    const casts = 1000;
    const line: unknown[] = new Array<unknown>(casts);
    let floorState: Counts = new Map();
    const cases: MicroCase[] = [
      {
        name: 'bare Map update via a promise',
        batch: calls,
        fn: async () => {
          for (let i = 0; i < calls; i++) await Promise.resolve().then(bump);
        },
      },
      {
        name: 'GenServer call round trip',
        baselineOf: 'bare Map update via a promise',
        batch: calls,
        fn: async () => {
          for (let i = 0; i < calls; i++) await server.call('k');
        },
      },
      // The cast rows close each batch alike: one more update delivered through an awaited
      // promise (the GenServer's closing call, the bare rows' `.then(bump)`), so the baseline
      // pays the same fixed cost per batch as the server and the ratio is the per-cast cost.
      {
        name: 'bare Map update',
        batch: casts,
        fn: async () => {
          for (let i = 0; i < casts; i++) bump();
          await Promise.resolve().then(bump);
        },
      },
      {
        // Not a kit case: the least any deferred mailbox costs. A cast is never handled inside
        // cast() (its sender goes on first), so its message must be stored and handed over later;
        // here a plain array, no server, no checks. Its ratio is the floor under the cast's.
        name: 'floor: array queue, no server',
        baselineOf: 'bare Map update',
        batch: casts,
        fn: async () => {
          let queued = 0;
          for (let i = 0; i < casts; i++) line[queued++] = 'k';
          await Promise.resolve();
          for (let i = 0; i < queued; i++) {
            floorState = counts.handleCast?.(line[i] as string, floorState) as Counts;
            line[i] = undefined;
          }
          await Promise.resolve().then(bump);
        },
      },
      {
        name: 'GenServer cast (handled)',
        baselineOf: 'bare Map update',
        batch: casts,
        // The closing call waits until every cast has been handled: this times handling, not queueing.
        fn: async () => {
          for (let i = 0; i < casts; i++) server.cast('k');
          await server.call('k');
        },
      },
    ];
    return { cases, teardown: () => server.stop() };
  },
};

const echoSource = `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', (message) => parentPort.postMessage(message));
`;

const threadSuite: MicroSuite = {
  name: 'otp-thread',
  async setup() {
    const echo = new Worker(echoSource, { eval: true });
    let answer: (() => void) | undefined;
    echo.on('message', () => answer?.());
    const server = await ThreadServer.start<'get' | 'inc-get', number, 'inc'>({ module: new URL('../../src/otp/examples/counter.ts', import.meta.url) });
    const batch = 20;
    const cases: MicroCase[] = [
      {
        name: 'bare postMessage round trip',
        batch,
        fn: async () => {
          for (let i = 0; i < batch; i++) {
            await new Promise<void>((resolve) => {
              answer = resolve;
              echo.postMessage([0, i, 'inc-get']);
            });
          }
        },
      },
      {
        name: 'thread-hosted call round trip',
        baselineOf: 'bare postMessage round trip',
        batch,
        fn: async () => {
          for (let i = 0; i < batch; i++) await server.call('inc-get');
        },
      },
    ];
    return {
      cases,
      teardown: async () => {
        await server.stop();
        await echo.terminate();
      },
    };
  },
};

export const microSuites: MicroSuite[] = [taskSuite, genServerSuite, threadSuite];
