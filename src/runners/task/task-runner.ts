// task: each job is a Task under a TaskSupervisor: an awaitable handle with a result, a timeout
// and cancellation, and bounded concurrency. Elixir's Task.Supervisor + Task.async/await.
//
// How it works: submit validates, then hands the supervisor a pending Task and the job (run
// now, or queued in a bounded line: past `maxQueue` submit rejects with QueueFullError). The
// task's onSettle emits the lifecycle event; the ticket's result() reads the task's outcome, a
// failure being JobFailedError with the job's own error as cause. `timeoutMs` aborts the
// signal the job sees and fails the task at once. Cheap on purpose: no AbortController unless
// the job reads its signal (LazyJobContext), no promise per job beyond the job's own and the
// task's one `then`, and submit itself is synchronous inside.
// Everything lives in this process: a crash takes it down, and stop({ drain: false }) abandons
// what has not finished: the line is dropped at once (O(1)), running jobs are cancelled, and
// a ticket whose result() is awaited is answered.

import { defaults, type Json, type Runner, type RunnerOptions, type StopReport, type SubmitOptions, type Ticket } from '../../contract.ts';
import { JobFailedError, RunnerStoppedError, TaskFailedError, TimeoutError } from '../../errors.ts';
import { runJob, validateJob, type JobContext } from '../../jobs/catalogue.ts';
import { Task, type SettledOutcome } from '../../otp/task.ts';
import { TaskSupervisor } from '../../otp/task-supervisor.ts';
import { EventHub, checkRunnerOptions, checkSubmitOptions, concurrencyOption, newJobId, positiveInteger, resultTimeout, stopOnce, toError, until } from '../support.ts';
import { descriptor } from './descriptor.ts';

const { traits } = descriptor;

/** The job's own error: the task wraps it in TaskFailedError; a timeout or cancel is its own cause. */
function ownError(error: Error): Error {
  return error instanceof TaskFailedError ? toError(error.cause) : error;
}

/**
 * The job's context: its signal is the task's, made only if the job reads it; onAbort is the
 * task's too. A job that listens joins `listening`, the tasks stop() must tell: one that never
 * listens cannot hear an abort, so a noop job costs no set entry.
 */
class TaskJobContext implements JobContext {
  readonly attempt = 1;
  readonly #task: Task<Json>;
  readonly #listening: Set<Task<Json>>;

  constructor(task: Task<Json>, listening: Set<Task<Json>>) {
    this.#task = task;
    this.#listening = listening;
  }

  get signal(): AbortSignal {
    this.#listening.add(this.#task);
    return this.#task.signal;
  }

  onAbort(listener: (reason: Error) => void): () => void {
    this.#listening.add(this.#task);
    return this.#task.onAbort(listener);
  }
}

export function createTaskRunner(options: RunnerOptions): Promise<Runner> {
  checkRunnerOptions(descriptor, options);
  const concurrency = concurrencyOption(options.concurrency, descriptor);
  const maxQueue = positiveInteger('maxQueue', options.maxQueue, defaults.maxQueue);
  const supervisor = new TaskSupervisor({ concurrency, maxQueue, overflow: 'reject' });
  const events = new EventHub();
  // Counts, not a set of every job: stop() must not visit a million queued jobs.
  let unsettled = 0;
  let finished = 0;
  let stopped = false;
  // Set once stop() gives up on what is left: later outcomes are no lifecycle events.
  let abandoned = false;
  // Running tasks whose job listens for an abort (at most `concurrency`) and tasks whose
  // result() is awaited: what stop() cancels.
  const listening = new Set<Task<Json>>();
  const awaited = new Set<Task<Json>>();
  let idle: (() => void) | undefined;

  function submit(job: string, data: Json, submitOptions?: SubmitOptions): Ticket {
    if (stopped) throw new RunnerStoppedError('task');
    checkSubmitOptions('task', traits, submitOptions);
    validateJob(job, data);
    supervisor.checkRoom();
    const id = newJobId();
    const task: Task<Json> = Task.pending<Json>({
      name: `job \`${job}\` (${id})`,
      timeoutMs: submitOptions?.timeoutMs,
      // Method syntax, not an arrow property: under tsx an arrow property is named with an
      // Object.defineProperty per job (per-job-closures.test.ts).
      onSettle(outcome: SettledOutcome<Json>) {
        if (listening.size > 0) listening.delete(task);
        if (awaited.size > 0) awaited.delete(task);
        if (abandoned) return; // abandoned by stop(): no lifecycle event
        unsettled--;
        finished++;
        if (outcome.status === 'ok') events.emit('completed', id, job, 1);
        else events.emit('failed', id, job, 1, ownError(outcome.error));
        if (unsettled === 0) idle?.();
      },
    });
    const context = new TaskJobContext(task, listening);
    events.emit('accepted', id, job, 1);
    unsettled++;
    supervisor.run(task, () => {
      events.emit('started', id, job, 1);
      return runJob(job, data, context);
    });
    return {
      id,
      job,
      async result(resultOptions) {
        const waitMs = resultTimeout(resultOptions);
        if (task.outcome.status === 'running') {
          if (abandoned) task.cancel(new RunnerStoppedError('task'));
          awaited.add(task);
        }
        // Left in `awaited` until the task settles (onSettle takes it out): another result() may wait on it too.
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
    submit(job, data, submitOptions) {
      try {
        return Promise.resolve(submit(job, data, submitOptions));
      } catch (error) {
        return Promise.reject(toError(error));
      }
    },
    onEvent: (listener) => events.on(listener),
    stop: stopOnce(async (drain, timeoutMs): Promise<StopReport> => {
      stopped = true;
      supervisor.close();
      const finishedBefore = finished;
      if (drain && unsettled > 0) await until(new Promise<void>((resolve) => (idle = resolve)), timeoutMs);
      abandoned = true;
      const left = unsettled;
      // O(1) in the queued jobs: the line is dropped unvisited; only running jobs that listen
      // (at most `concurrency`) and tickets someone awaits are cancelled, so they hear. A running
      // job that never looked at its signal runs on unseen; its late outcome is no event.
      supervisor.abandon();
      const stopping = new RunnerStoppedError('task');
      for (const task of [...listening, ...awaited]) task.cancel(stopping);
      listening.clear();
      awaited.clear();
      return { finished: finished - finishedBefore, abandoned: left, stored: 0 };
    }),
  };
  return Promise.resolve(runner);
}
