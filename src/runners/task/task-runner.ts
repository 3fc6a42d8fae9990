// task: each job is a Task under a TaskSupervisor: an awaitable handle with a result, a timeout
// and cancellation, and bounded concurrency. Elixir's Task.Supervisor + Task.async/await.
//
// How it works: submit validates, then asks the supervisor to start the job (running it now,
// or queueing it in a bounded line: past `maxQueue` submit rejects with QueueFullError). The
// ticket's result() reads the task's outcome; a failure is JobFailedError with the job's own
// error as cause. `timeoutMs` aborts the signal the job sees and fails the task at once.
// Everything lives in this process: a crash takes it down, and stop({ drain: false }) abandons
// what has not finished.

import type { Json, Runner, RunnerOptions, StopReport, SubmitOptions, Ticket } from '../../contract.ts';
import { JobFailedError, RunnerStoppedError, TaskFailedError, TimeoutError } from '../../errors.ts';
import { runJob, validateJob } from '../../jobs/catalogue.ts';
import { Task } from '../../otp/task.ts';
import { TaskSupervisor } from '../../otp/task-supervisor.ts';
import { EventHub, checkRunnerOptions, checkSubmitOptions, concurrencyOption, newJobId, positiveInteger, resultTimeout, stopOnce, toError, until } from '../support.ts';
import { descriptor } from './descriptor.ts';

const { traits } = descriptor;

/** The job's own error: the task wraps it in TaskFailedError; a timeout or cancel is its own cause. */
function ownError(error: Error): Error {
  return error instanceof TaskFailedError ? toError(error.cause) : error;
}

export function createTaskRunner(options: RunnerOptions): Promise<Runner> {
  checkRunnerOptions(descriptor, options);
  const concurrency = concurrencyOption(options.concurrency, descriptor);
  const maxQueue = positiveInteger('maxQueue', options.maxQueue, Number.MAX_SAFE_INTEGER);
  const supervisor = new TaskSupervisor({ concurrency, maxQueue, overflow: 'reject' });
  const events = new EventHub();
  // Tasks not yet settled: stop() waits for them or abandons them.
  const live = new Set<Task<Json>>();
  let stopped = false;
  let finished = 0;

  async function submit(job: string, data: Json, submitOptions?: SubmitOptions): Promise<Ticket> {
    if (stopped) throw new RunnerStoppedError('task');
    checkSubmitOptions('task', traits, submitOptions);
    validateJob(job, data);
    const id = newJobId();
    events.emit('accepted', id, job, 1);
    const task = await supervisor.start(
      (signal) => {
        events.emit('started', id, job, 1);
        return runJob(job, data, { attempt: 1, signal });
      },
      { name: `job \`${job}\` (${id})`, timeoutMs: submitOptions?.timeoutMs },
    );
    live.add(task);
    void task.yield(Infinity).then((outcome) => {
      if (!live.delete(task)) return; // abandoned by stop(): no lifecycle event
      finished++;
      if (outcome.status === 'ok') events.emit('completed', id, job, 1);
      else if (outcome.status === 'error') events.emit('failed', id, job, 1, ownError(outcome.error));
    });
    return {
      id,
      job,
      async result(resultOptions) {
        const waitMs = resultTimeout(resultOptions);
        const outcome = await task.yield(waitMs);
        if (outcome.status === 'ok') return outcome.value;
        if (outcome.status === 'error') throw new JobFailedError(job, id, 1, ownError(outcome.error));
        throw new TimeoutError(`the result of job \`${job}\` (${id})`, waitMs);
      },
    };
  }

  const runner: Runner = {
    id: 'task',
    traits,
    submit: (job, data, submitOptions) => submit(job, data, submitOptions).catch((error: unknown) => Promise.reject(toError(error))),
    onEvent: (listener) => events.on(listener),
    stop: stopOnce(async (drain, timeoutMs): Promise<StopReport> => {
      stopped = true;
      supervisor.close();
      const finishedBefore = finished;
      if (drain && live.size > 0) {
        await until(supervisor.idle(), timeoutMs);
        // Let the settle handlers above count what just finished.
        await new Promise((resolve) => setImmediate(resolve));
      }
      const abandoned = [...live];
      live.clear();
      for (const task of abandoned) task.cancel(new RunnerStoppedError('task'));
      return { finished: finished - finishedBefore, abandoned: abandoned.length, stored: 0 };
    }),
  };
  return Promise.resolve(runner);
}
