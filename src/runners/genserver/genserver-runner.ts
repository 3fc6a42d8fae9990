// genserver: catalogue jobs run by GenServers, one job at a time per server, in mailbox order.
//
// How it works: the runner starts `concurrency` job servers (default 1) under a one-for-one
// Supervisor and registers each by name. submit casts the job to the next server in turn
// (round robin, looked up by name so a restarted server is found). The server's handleCast
// runs the job and waits for it, so its mailbox is handled strictly in order; the job's
// outcome settles the ticket. A failing job is a failed result, not a server crash. The
// mailbox is bounded by `maxQueue`: past it submit rejects with QueueFullError (reject policy).
// In-process: a `crash` job ends the process; stop({ drain: false }) abandons queued jobs.

import type { Json, Runner, RunnerOptions, StopReport, SubmitOptions, Ticket } from '../../contract.ts';
import { MailboxFullError, QueueFullError, RunnerStoppedError, TimeoutError } from '../../errors.ts';
import { runJob, validateJob } from '../../jobs/catalogue.ts';
import { GenServer, type ServerCallbacks } from '../../otp/gen-server.ts';
import { Registry } from '../../otp/registry.ts';
import { Supervisor } from '../../otp/supervisor.ts';
import { EventHub, checkRunnerOptions, checkSubmitOptions, concurrencyOption, newJobId, positiveInteger, resultOf, stopOnce, toError, until, type Outcome } from '../support.ts';
import { descriptor } from './descriptor.ts';

const { traits } = descriptor;


/** One accepted job: what the server needs to run it and what the ticket reads. */
interface JobMessage {
  readonly id: string;
  readonly job: string;
  readonly data: Json;
  readonly timeoutMs: number | undefined;
  readonly controller: AbortController;
  settle(outcome: Outcome): void;
}

type JobServer = GenServer<null, never, never, JobMessage>;

let runnerCount = 0;

export async function createGenServerRunner(options: RunnerOptions): Promise<Runner> {
  checkRunnerOptions(descriptor, options);
  const concurrency = concurrencyOption(options.concurrency, descriptor);
  const mailboxCapacity = positiveInteger('maxQueue', options.maxQueue, 1_000_000);
  const prefix = `${options.queue ?? 'genserver'}#${++runnerCount}`;
  const events = new EventHub();
  const registry = new Registry<JobServer>();
  // Jobs accepted and not yet settled: stop() waits for them or abandons them.
  const live = new Map<string, JobMessage>();
  let stopped = false;
  let finished = 0;
  let turn = 0;
  let idle: (() => void) | undefined;

  const callbacks: ServerCallbacks<null, never, never, JobMessage> = {
    init: () => null,
    async handleCast(message, state) {
      if (message.controller.signal.aborted) return state; // abandoned while queued
      events.emit('started', message.id, message.job, 1);
      const timer = message.timeoutMs === undefined
        ? undefined
        : setTimeout(() => message.controller.abort(new TimeoutError(`job \`${message.job}\``, message.timeoutMs ?? 0)), message.timeoutMs);
      try {
        message.settle({ ok: true, value: await runJob(message.job, message.data, { attempt: 1, signal: message.controller.signal }) });
      } catch (error) {
        // The job failed, not the server: the failure is the job's result.
        message.settle({ ok: false, error: toError(error) });
      } finally {
        clearTimeout(timer);
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

  function submit(job: string, data: Json, submitOptions?: SubmitOptions): Ticket {
    if (stopped) throw new RunnerStoppedError('genserver');
    checkSubmitOptions('genserver', traits, submitOptions);
    validateJob(job, data);
    const id = newJobId();
    let resolveOutcome!: (outcome: Outcome) => void;
    const outcome = new Promise<Outcome>((resolve) => (resolveOutcome = resolve));
    const message: JobMessage = {
      id,
      job,
      data,
      timeoutMs: submitOptions?.timeoutMs,
      controller: new AbortController(),
      settle(result) {
        if (!live.delete(id)) return; // abandoned by stop(): no lifecycle event
        finished++;
        if (result.ok) events.emit('completed', id, job, 1);
        else events.emit('failed', id, job, 1, result.error);
        resolveOutcome(result);
        if (live.size === 0) idle?.();
      },
    };
    const name = names[turn++ % names.length] ?? '';
    try {
      registry.lookup(name).cast(message);
    } catch (error) {
      if (error instanceof MailboxFullError) throw new QueueFullError(`the mailbox of \`${name}\``, mailboxCapacity);
      throw error;
    }
    live.set(id, message);
    events.emit('accepted', id, job, 1);
    return {
      id,
      job,
      result: (resultOptions) => resultOf(outcome, job, id, resultOptions),
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
      if (drain && live.size > 0) await until(new Promise<void>((resolve) => (idle = resolve)), timeoutMs);
      const abandoned = [...live.values()];
      live.clear();
      for (const message of abandoned) message.controller.abort(new RunnerStoppedError('genserver'));
      await supervisor.stop();
      return { finished: finished - finishedBefore, abandoned: abandoned.length, stored: 0 };
    }),
  };
  return runner;
}
