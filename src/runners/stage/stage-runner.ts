// stage: jobs flow through a bounded, demand-driven line (GenStage's idea) to N consumers.
//
// How it works: submit pushes the job into a BoundedChannel and resolves once it is buffered;
// when the buffer (`tuning.bufferSize`, default 64) is full, submit waits until a consumer
// takes a job. That wait is the point: a fast producer is slowed to the consumers' pace instead
// of buffering without limit. `concurrency` consumers (default 4) pull one job each at a time.
// Decision: no results. A stage is a pipeline, not a request/reply service (GenStage has no
// replies either), so ticket.result() rejects at once with ResultUnavailableError and failures
// go to `onError` (or a line on stderr), never to an unhandled rejection.

import type { Json, Runner, RunnerOptions, StopReport, SubmitOptions, Ticket } from '../../contract.ts';
import { InvalidOptionError, RunnerStoppedError } from '../../errors.ts';
import { runJob, validateJob } from '../../jobs/catalogue.ts';
import { LazyJobContext } from '../../jobs/lazy-job-context.ts';
import { BoundedChannel, consume } from '../../otp/stage.ts';
import { EventHub, checkRunnerOptions, errorSink, checkSubmitOptions, concurrencyOption, newJobId, stopOnce, toError, until, resultUnavailable } from '../support.ts';
import { descriptor } from './descriptor.ts';

const { traits } = descriptor;

const noResult = resultUnavailable('stage');

interface StageJob {
  readonly id: string;
  readonly job: string;
  readonly data: Json;
}

export function createStageRunner(options: RunnerOptions): Promise<Runner> {
  checkRunnerOptions(descriptor, options);
  const bufferSize = options.tuning?.bufferSize ?? 64;
  if (typeof bufferSize !== 'number' || !Number.isInteger(bufferSize) || bufferSize < 1) throw new InvalidOptionError('tuning.bufferSize', 'an integer >= 1', bufferSize);
  const concurrency = concurrencyOption(options.concurrency, descriptor);
  const onError = errorSink('stage', options.onError);
  const events = new EventHub();
  // `accepted` fires as a job enters the channel, so it always precedes that job's `started`.
  const channel = new BoundedChannel<StageJob>(bufferSize, 'stage', ({ id, job }) => events.emit('accepted', id, job, 1));
  // Jobs running now, by their context, which abandons them (its signal made only if the job reads it).
  const running = new Set<LazyJobContext>();
  let stopped = false;
  let finished = 0;

  const consumers = consume(channel, concurrency, async ({ id, job, data }) => {
    const context = new LazyJobContext(1);
    running.add(context);
    events.emit('started', id, job, 1);
    try {
      await runJob(job, data, context);
      if (!running.delete(context)) return; // abandoned by stop()
      finished++;
      events.emit('completed', id, job, 1);
    } catch (reason) {
      if (!running.delete(context)) return;
      finished++;
      const error = toError(reason);
      events.emit('failed', id, job, 1, error);
      try {
        onError(error, { type: 'failed', jobId: id, job, at: performance.timeOrigin + performance.now(), attempt: 1, error: error.message });
      } catch {
        // A throwing handler must not stop the consumer.
      }
    }
  });

  function submit(job: string, data: Json, submitOptions?: SubmitOptions): Promise<Ticket> {
    if (stopped) throw new RunnerStoppedError('stage');
    checkSubmitOptions('stage', traits, submitOptions);
    validateJob(job, data);
    const id = newJobId();
    const ticket: Ticket = { id, job, result: noResult };
    // Waits here while the buffer is full: backpressure reaches the caller.
    return channel.push({ id, job, data }).then(() => ticket);
  }

  const runner: Runner = {
    id: 'stage',
    traits,
    submit(job, data, submitOptions) {
      try {
        return submit(job, data, submitOptions);
      } catch (error) {
        return Promise.reject(toError(error));
      }
    },
    onEvent: (listener) => events.on(listener),
    stop: stopOnce(async (drain, timeoutMs): Promise<StopReport> => {
      stopped = true;
      const finishedBefore = finished;
      if (drain) {
        channel.close();
        await until(consumers, timeoutMs);
      }
      const dropped = channel.abort().length;
      const abandoned = [...running];
      running.clear();
      for (const context of abandoned) context.abort(new RunnerStoppedError('stage'));
      return { finished: finished - finishedBefore, abandoned: abandoned.length + dropped, stored: 0 };
    }),
  };
  return Promise.resolve(runner);
}
