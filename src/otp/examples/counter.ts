// The smallest useful server: a counter. Used by the thread-server tests and micro benchmarks.

import type { ServerCallbacks } from '../gen-server.ts';

export const callbacks: ServerCallbacks<number, 'get' | 'inc-get' | 'boom', number, 'inc'> = {
  init: () => 0,
  handleCall: (request, count) => {
    if (request === 'boom') throw new Error('boom: the counter crashed on purpose');
    const next = request === 'inc-get' ? count + 1 : count;
    return { reply: next, state: next };
  },
  handleCast: (_message, count) => count + 1,
};
