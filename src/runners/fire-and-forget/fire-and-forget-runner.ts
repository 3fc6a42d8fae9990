// fire-and-forget: start the job and do not wait for it. Node's `void doWork()`, Elixir's
// `spawn` / `Task.start`.
//
// How it works: submit validates, then starts the job on the next turn of the event loop
// (setImmediate), so the caller's own turn finishes first, as a request handler would. The
// job's promise is never handed to anyone: its failure goes to `options.onError` (or to a
// line on stderr), never to an unhandled rejection, which would end the process (Node ≥ 15).
// In-flight jobs are tracked only so that stop() can drain them; nothing is kept anywhere
// else, so a process that dies takes every job with it.

import type { Json, Runner, RunnerOptions, StopReport, SubmitOptions, Ticket } from '../../contract.ts';
import { RunnerStoppedError } from '../../errors.ts';
import { runJob, validateJob } from '../../jobs/catalogue.ts';
import { LazyJobContext } from '../../jobs/lazy-job-context.ts';
import { EventHub, checkRunnerOptions, errorSink, checkSubmitOptions, newJobId, stopOnce, toError, until, resultUnavailable } from '../support.ts';
import { descriptor } from './descriptor.ts';

const { traits } = descriptor;

const noResult = resultUnavailable('fire-and-forget');

export function createFireAndForgetRunner(options: RunnerOptions): Promise<Runner> {
  checkRunnerOptions(descriptor, options);
  const onError = errorSink('fire-and-forget', options.onError);
  const events = new EventHub();
  // Each in-flight job's context: stop() aborts what it abandons. Its signal is made only if
  // the job reads it: an AbortController per job was most of a pending job's heap.
  const inFlight = new Set<LazyJobContext>();
  // Settles when the last in-flight job settles; re-armed as jobs come and go.
  let idle: { promise: Promise<void>; resolve: () => void } | undefined;
  let finished = 0;
  let stopped = false;

  function settle(context: LazyJobContext): void {
    inFlight.delete(context);
    finished++;
    if (inFlight.size === 0 && idle !== undefined) {
      idle.resolve();
      idle = undefined;
    }
  }

  // #region start
  function start(id: string, job: string, data: Json, context: LazyJobContext): void {
    if (context.aborted) return; // abandoned by stop() before it began
    events.emit('started', id, job, 1);
    runJob(job, data, context).then(
      () => {
        events.emit('completed', id, job, 1);
        settle(context);
      },
      (reason: unknown) => {
        const error = toError(reason);
        events.emit('failed', id, job, 1, error);
        settle(context);
        try {
          onError(error, { type: 'failed', jobId: id, job, at: performance.timeOrigin + performance.now(), attempt: 1, error: error.message });
        } catch {
          // A throwing handler must not become the unhandled rejection this runner exists to avoid.
        }
      },
    );
  }
  // #endregion start

  const runner: Runner = {
    id: 'fire-and-forget',
    traits,
    submit(job: string, data: Json, submitOptions?: SubmitOptions): Promise<Ticket> {
      try {
        if (stopped) throw new RunnerStoppedError('fire-and-forget');
        checkSubmitOptions('fire-and-forget', traits, submitOptions);
        validateJob(job, data);
      } catch (error) {
        return Promise.reject(toError(error));
      }
      const id = newJobId();
      const context = new LazyJobContext(1);
      inFlight.add(context);
      events.emit('accepted', id, job, 1);
      setImmediate(start, id, job, data, context);
      return Promise.resolve({ id, job, result: noResult });
    },
    onEvent: (listener) => events.on(listener),
    stop: stopOnce(async (drain, timeoutMs): Promise<StopReport> => {
      stopped = true;
      const finishedBefore = finished;
      if (drain && inFlight.size > 0) {
        if (idle === undefined) {
          let resolve!: () => void;
          const promise = new Promise<void>((done) => (resolve = done));
          idle = { promise, resolve };
        }
        await until(idle.promise, timeoutMs);
      }
      const abandoned = inFlight.size;
      const error = new RunnerStoppedError('fire-and-forget');
      for (const context of inFlight) context.abort(error);
      inFlight.clear();
      return { finished: finished - finishedBefore, abandoned, stored: 0 };
    }),
  };
  return Promise.resolve(runner);
}
