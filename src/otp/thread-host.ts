// The worker-thread side of a ThreadServer: loads the callbacks module named in workerData,
// starts a GenServer with them, and relays messages from the parent thread to it.
//
// Protocol (arrays, so structured clone stays cheap): parent → here `[CALL, id, request]` or
// `[CAST, payload]`; here → parent `[READY]`, `[REPLY, id, reply]`, `[FAILED, id, message, code]`,
// `[DROPPED]` (a cast the full mailbox refused: the sender is in another thread and already
// gone, so the refusal is counted there instead of thrown here, where it would kill the thread).
// When the server crashes, the error is rethrown outside any promise, so the thread dies and
// the parent sees it as the thread's 'error': the same path as a `crash` job's uncaught exception.

import { parentPort, workerData } from 'node:worker_threads';
import { MailboxFullError, NeedAQueueError, messageOf } from '../errors.ts';
import { GenServer, type ServerCallbacks } from './gen-server.ts';
import { CALL, DROPPED, FAILED, READY, REPLY, type HostData, type ToHost } from './thread-protocol.ts';

const data = workerData as HostData;
const port = parentPort;
if (port === null) throw new Error('thread-host.ts runs only in a worker thread');

const loaded = (await import(data.module)) as Record<string, unknown>;
const callbacks = loaded[data.exportName] as ServerCallbacks<unknown, unknown, unknown, unknown> | undefined;
if (callbacks === undefined) throw new Error(`${data.module} exports no \`${data.exportName}\``);

const server = await GenServer.start(callbacks, { name: data.name, ...(data.mailboxCapacity === undefined ? {} : { mailboxCapacity: data.mailboxCapacity }) });
server.onExit((reason) => {
  if (reason.kind === 'crash') {
    // Uncaught on purpose: the thread ends and the parent's supervisor takes over.
    setImmediate(() => {
      throw reason.error;
    });
  }
});

port.on('message', (message: ToHost) => {
  if (message[0] === CALL) {
    const id = message[1];
    // No timeout here: the parent times calls out and drops late replies.
    server.call(message[2], Infinity).then(
      (reply) => port.postMessage([REPLY, id, reply]),
      (error: unknown) => port.postMessage([FAILED, id, messageOf(error), error instanceof NeedAQueueError ? error.code : undefined]),
    );
  } else {
    try {
      server.cast(message[1]);
    } catch (error) {
      if (!(error instanceof MailboxFullError)) throw error;
      port.postMessage([DROPPED]);
    }
  }
});
port.postMessage([READY]);
