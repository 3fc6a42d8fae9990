// Lesson 04's examples: a counter server under a one-for-one
// Supervisor, found by name through a Registry. A `boom` call crashes
// it; the supervisor starts a fresh one, until it has restarted too
// often and gives up. Each function reports through `say`.
// Run: node --import tsx lessons/04-supervisor/supervised-counter.ts

import { callbacks } from '../../src/otp/examples/counter.ts';
import { GenServer } from '../../src/otp/gen-server.ts';
import { Registry } from '../../src/otp/registry.ts';
import { type ChildSpec, Supervisor } from '../../src/otp/supervisor.ts';
import type { SupervisorEvent } from '../../src/otp/supervisor.ts';

export type Say = (line: string) => void;
type Counter = GenServer<number, 'get' | 'inc-get' | 'boom', number, 'inc'>;

/** A kit error's name, then its first line (without `fix:`). */
function firstLine(error: unknown): string {
  const { name, message } = error as Error;
  return `${name}:\n  ${message.split('\n')[0] ?? ''}`;
}

// #region spec
const registry = new Registry<Counter>();

const counterSpec: ChildSpec<Counter> = {
  id: 'counter',
  // Called for the first start and again for every restart:
  // each time a fresh server, from init.
  async start() {
    const server = await GenServer.start(callbacks, {
      name: 'counter',
    });
    registry.register('counter', server);
    return server;
  },
};
// #endregion spec

const counter = () => registry.lookup('counter');

/** Resolves with the supervisor's next event of `type`. */
function next(
  supervisor: Supervisor<Counter>,
  type: SupervisorEvent['type'],
): Promise<SupervisorEvent> {
  return new Promise((resolve) => {
    const off = supervisor.onEvent((event) => {
      if (event.type !== type) return;
      off();
      resolve(event);
    });
  });
}

export async function restartWithFreshState(say: Say): Promise<void> {
  // #region restart
  const supervisor = await Supervisor.start([counterSpec]);
  for (let i = 0; i < 3; i++) await counter().call('inc-get');
  say(`count before the crash: ${await counter().call('get')}`);

  const restarted = next(supervisor, 'restarted');
  await counter()
    .call('boom')
    .catch((error: unknown) => say(firstLine(error)));
  await restarted;
  say(`count after the restart: ${await counter().call('get')}`);
  // #endregion restart
  await supervisor.stop();
}

/** Crashes the counter up to `times` times, waiting for each restart. */
export async function crashTimes(
  supervisor: Supervisor<Counter>,
  times: number,
): Promise<string> {
  const gaveUp = supervisor.whenGaveUp();
  for (let i = 0; i < times && supervisor.status === 'running'; i++) {
    const restarted = next(supervisor, 'restarted');
    await counter().call('boom').catch(() => undefined);
    await Promise.race([restarted, gaveUp]);
  }
  return supervisor.status;
}

export const startCounterSupervisor = () => Supervisor.start([counterSpec]);

export async function giveUp(say: Say): Promise<void> {
  // #region give-up
  const supervisor = await Supervisor.start([counterSpec]); // defaults
  supervisor.onEvent((event) => {
    if (event.type !== 'restarted') say(event.type);
    else say(`restarted (${event.restarts} so far)`);
  });
  const gaveUp = supervisor.whenGaveUp();
  while (supervisor.status === 'running') {
    const restarted = next(supervisor, 'restarted');
    await counter().call('boom').catch(() => undefined);
    await Promise.race([restarted, gaveUp]);
  }
  const { child, restarts, error } = await gaveUp;
  say(`gave up on ${child} after ${restarts} restarts`);
  say(`  the last crash: ${error.message}`);
  const left = registry.whereis('counter') !== undefined;
  say(`registry has a counter: ${left}`);
  // #endregion give-up
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
  const say = (line: string) => console.log(line);
  await restartWithFreshState(say);
  await giveUp(say);
}
