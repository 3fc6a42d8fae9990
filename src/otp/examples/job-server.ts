// GenServer callbacks that run catalogue jobs, one at a time, for a ThreadServer: a `crash`
// or `cpu` job then hits the server's own thread, never the main one.

import type { Json } from '../../contract.ts';
import { runJob } from '../../jobs/catalogue.ts';
import type { ServerCallbacks } from '../gen-server.ts';
import { messageOf } from '../../errors.ts';

export type JobRequest = { readonly job: string; readonly data: Json };
export type JobReply = { readonly ok: true; readonly value: Json } | { readonly ok: false; readonly error: string };

const neverAborts = new AbortController().signal;

export const callbacks: ServerCallbacks<number, JobRequest | 'count', JobReply | number, JobRequest> = {
  init: () => 0,
  // A cast is a job whose result nobody waits for.
  handleCast: async (request, handled) => {
    await runJob(request.job, request.data, { attempt: 1, signal: neverAborts }).catch(() => undefined);
    return handled + 1;
  },
  handleCall: async (request, handled) => {
    if (request === 'count') return { reply: handled, state: handled };
    try {
      const value = await runJob(request.job, request.data, { attempt: 1, signal: neverAborts });
      return { reply: { ok: true, value }, state: handled + 1 };
    } catch (error) {
      // A failing job is an error reply; only a `crash` (uncaught) takes the thread down.
      return { reply: { ok: false, error: messageOf(error) }, state: handled + 1 };
    }
  },
};
