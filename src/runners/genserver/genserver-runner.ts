// genserver: catalogue jobs run by GenServers, one job at a time per server, in mailbox order.
//
// How it works: the runner starts `concurrency` job servers (default 1) under a one-for-one
// Supervisor and registers each by name. submit casts the job to the next server in turn
// (round robin, looked up by name so a restarted server is found). The server's handleCast
// runs the job and waits for it, so its mailbox is handled strictly in order; the job's
// outcome settles the ticket. A failing job is a failed result, not a server crash. The
// mailbox is bounded by `maxQueue` (defaults.maxQueue): past it submit rejects with
// QueueFullError (reject policy). Cheap on purpose: the message is the job's context, so its
// AbortController is made only if the job reads its signal, and the ticket's promise only if
// someone calls result().
// In-process: a `crash` job ends the process; stop({ drain: false }) abandons queued jobs
// without visiting them (the runner keeps counts, not a map of every job).

import { defaults, type Json, type Runner, type RunnerOptions, type StopReport, type SubmitOptions, type Ticket } from '../../contract.ts';
import { MailboxFullError, QueueFullError, RunnerStoppedError, TimeoutError } from '../../errors.ts';
import { runJob, validateJob } from '../../jobs/catalogue.ts';
import { LazyJobContext } from '../../jobs/lazy-job-context.ts';
import { GenServer, type ServerCallbacks } from '../../otp/gen-server.ts';
import { Registry } from '../../otp/registry.ts';
import { Supervisor } from '../../otp/supervisor.ts';
import { EventHub, checkRunnerOptions, checkSubmitOptions, concurrencyOption, newJobId, positiveInteger, resultOf, stopOnce, toError, until, type Outcome } from '../support.ts';
import { descriptor } from './descriptor.ts';

const { traits } = descriptor;


/** One accepted job: what the server needs to run it, its context, and what the ticket reads. */
class JobMessage extends LazyJobContext {
  readonly id: string;
  readonly job: string;
  readonly data: Json;
  readonly timeoutMs: number | undefined;
  outcome: Outcome | undefined;
  // Made by the first result() that waits.
  #waiting: Promise<Outcome> | undefined;
  #wake: ((outcome: Outcome) => void) | undefined;

  constructor(id: string, job: string, data: Json, timeoutMs: number | undefined) {
    super(1);
    this.id = id;
    this.job = job;
    this.data = data;
    this.timeoutMs = timeoutMs;
  }

  settled(): Promise<Outcome> {
    if (this.outcome !== undefined) return Promise.resolve(this.outcome);
    return (this.#waiting ??= new Promise<Outcome>((resolve) => (this.#wake = resolve)));
  }

  settle(outcome: Outcome): void {
    this.outcome = outcome;
    this.#wake?.(outcome);
  }
}

type JobServer = GenServer<null, never, never, JobMessage>;

let runnerCount = 0;

export async function createGenServerRunner(options: RunnerOptions): Promise<Runner> {
  checkRunnerOptions(descriptor, options);
  const concurrency = concurrencyOption(options.concurrency, descriptor);
  const mailboxCapacity = positiveInteger('maxQueue', options.maxQueue, defaults.maxQueue);
  const prefix = `${options.queue ?? 'genserver'}#${++runnerCount}`;
  const events = new EventHub();
  const registry = new Registry<JobServer>();
  // Jobs accepted and not yet settled, counted: stop() waits for them or abandons them. The ones
  // running (one per server) and the ones whose result() is awaited are what stop() must tell.
  let unsettled = 0;
  const running = new Set<JobMessage>();
  const awaited = new Set<JobMessage>();
  let stopped = false;
  let abandoned = false;
  let finished = 0;
  let turn = 0;
  let idle: (() => void) | undefined;

  const stoppedOutcome = (): Outcome => ({ ok: false, error: new RunnerStoppedError('genserver') });

  const callbacks: ServerCallbacks<null, never, never, JobMessage> = {
    init: () => null,
    async handleCast(message, state) {
      if (abandoned || message.aborted) return state; // abandoned while queued
      running.add(message);
      events.emit('started', message.id, message.job, 1);
      const timer = message.timeoutMs === undefined
        ? undefined
        : setTimeout(() => message.abort(new TimeoutError(`job \`${message.job}\``, message.timeoutMs ?? 0)), message.timeoutMs);
      try {
        settle(message, { ok: true, value: await runJob(message.job, message.data, message) });
      } catch (error) {
        // The job failed, not the server: the failure is the job's result.
        settle(message, { ok: false, error: toError(error) });
      } finally {
        clearTimeout(timer);
        running.delete(message);
      }
      return state;
    },
  };

  const names = Array.from({ length: concurrency }, (_, i) => `${prefix}/${i}`);
  const supervisor = await Supervisor.start(
    names.map((name) => ({
      id: name,
      start: async () => {
        const server = await GenServer.start(callbacks, { name, mailboxCapacity });
        registry.register(name, server);
        return server;
      },
    })),
  );

  function settle(message: JobMessage, result: Outcome): void {
    if (abandoned) return; // abandoned by stop(): no lifecycle event
    awaited.delete(message);
    unsettled--;
    finished++;
    if (result.ok) events.emit('completed', message.id, message.job, 1);
    else events.emit('failed', message.id, message.job, 1, result.error);
    message.settle(result);
    if (unsettled === 0) idle?.();
  }

  function submit(job: string, data: Json, submitOptions?: SubmitOptions): Ticket {
    if (stopped) throw new RunnerStoppedError('genserver');
    checkSubmitOptions('genserver', traits, submitOptions);
    validateJob(job, data);
    const id = newJobId();
    const message = new JobMessage(id, job, data, submitOptions?.timeoutMs);
    const name = names[turn++ % names.length] ?? '';
    try {
      registry.lookup(name).cast(message);
    } catch (error) {
      if (error instanceof MailboxFullError) throw new QueueFullError(`the mailbox of \`${name}\``, mailboxCapacity);
      throw error;
    }
    unsettled++;
    events.emit('accepted', id, job, 1);
    return {
      id,
      job,
      result(resultOptions) {
        if (message.outcome !== undefined) return resultOf(message.settled(), job, id, resultOptions);
        if (abandoned) return resultOf(Promise.resolve(stoppedOutcome()), job, id, resultOptions);
        // Left in `awaited` until the job settles (settle() takes it out), even if this wait times
        // out first: another result() may still be waiting on it.
        awaited.add(message);
        return resultOf(message.settled(), job, id, resultOptions);
      },
    };
  }

  const runner: Runner = {
    id: 'genserver',
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
      const finishedBefore = finished;
      if (drain && unsettled > 0) await until(new Promise<void>((resolve) => (idle = resolve)), timeoutMs);
      abandoned = true;
      const left = unsettled;
      // Queued messages are not visited here: handleCast skips them once `abandoned` is set,
      // and the servers' mailboxes are dropped as they stop. Running jobs hear through their
      // signal, awaited tickets through their result.
      const error = new RunnerStoppedError('genserver');
      for (const message of running) message.abort(error);
      for (const message of awaited) message.settle({ ok: false, error });
      running.clear();
      awaited.clear();
      await supervisor.stop();
      return { finished: finished - finishedBefore, abandoned: left, stored: 0 };
    }),
  };
  return runner;
}
