// Lesson 03's examples: the kit's version of the seed's registry in
// use, mailbox order, when a call is handled, and what one busy
// server does to every other server in the process. Each function
// reports through `say`, so the test can check and snapshot it.
// Run: node --import tsx lessons/03-genserver/registry-example.ts

import { GenServer, type ServerCallbacks } from '../../src/otp/gen-server.ts';
import { LookupRegistry } from '../../src/otp/examples/lookup-registry.ts';
import type { FindReply } from '../../src/otp/examples/lookup-registry.ts';

export type Say = (line: string) => void;

/** A find's reply as a line or two: the value is 64 characters long. */
function show(reply: FindReply): string {
  return reply.found ? `found\n  ${reply.value}` : 'not found';
}

export async function useTheRegistry(say: Say): Promise<void> {
  // #region use
  const registry = await LookupRegistry.start({ name: 'registry' });
  registry.add('something'); // a cast: the value is computed later
  say(`find something → ${show(await registry.find('something'))}`);
  say(`find nothing → ${show(await registry.find('nothing'))}`);
  // #endregion use
  await registry.stop();
}

// A server that records when its callbacks run.
type Log = string[];
const tracer = (log: Log): ServerCallbacks<number, 'inc', number, 'inc'> => ({
  init: () => 0,
  handleCall: (_request, n) => {
    log.push('  handleCall ran');
    return { reply: n + 1, state: n + 1 };
  },
  handleCast: (_message, n) => {
    log.push('  handleCast ran');
    return n + 1;
  },
});

export async function whenHandled(say: Say): Promise<void> {
  const log: Log = [];
  const server = await GenServer.start(tracer(log));
  // #region when-handled
  log.push('cast sent');
  server.cast('inc');
  log.push('cast returned');
  await Promise.resolve(); // one microtask: the mailbox drains
  log.push('call sent');
  const reply = server.call('inc');
  log.push('call returned its promise');
  log.push(`reply: ${await reply}`);
  // #endregion when-handled
  for (const line of log) say(line);
  await server.stop();
}

/** Keeps the thread busy: a handler doing CPU work. */
function spin(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end);
}

export async function oneBusyServer(say: Say): Promise<void> {
  // #region busy
  const resizer = await GenServer.start<null, never, never, number>({
    init: () => null,
    handleCast: (ms, state) => {
      spin(ms); // CPU work inside a handler: a resize, a big JSON.parse
      say(`resizer: finished ${ms} ms of CPU work`);
      return state;
    },
  });
  const sessions = await GenServer.start<number, 'touch', number>({
    init: () => 0,
    handleCall: (_request, n) => ({ reply: n + 1, state: n + 1 }),
  });

  resizer.cast(200);
  // A request arrives 1 ms later and asks the other, idle server.
  const answered = new Promise<void>((resolve) =>
    setTimeout(() => {
      void sessions.call('touch').then((n) => {
        say(`sessions: answered call ${n}`);
        resolve();
      });
    }, 1),
  );
  await answered;
  // #endregion busy
  await resizer.stop();
  await sessions.stop();
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
  const say = (line: string) => console.log(line);
  await useTheRegistry(say);
  await whenHandled(say);
  await oneBusyServer(say);
}
