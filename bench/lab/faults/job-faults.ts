// Faults that come from a job: none (the control), a job that throws, one that crashes its
// thread (an uncaught exception outside its promise), one that hangs, with and without
// `timeoutMs`. The runner runs in a child process, so a crash that takes the process down
// really does.

import type { Json, SubmitOptions } from '../../../src/contract.ts';
import { allSettled, closeSession, count, openSession, placeFor, type Session } from '../session.ts';
import { describeSettings, type LabSubject } from '../subjects.ts';
import { pause, recordedJobs, waitUntil, type CellContext, type CellResult, type Extra, type Fault } from '../cell.ts';

const CONTROL_JOBS = 50;
const BYSTANDERS = 19;
const HANG_BYSTANDERS = 5;
const HANG_WINDOW_MS = 1500;
const HANG_TIMEOUT_MS = 300;

const died = (session: Session): Extra => ({ metric: 'process died', value: session.child.dead() ? 1 : 0, unit: 'processes', better: 'lower' });

async function inSession(context: CellContext, concurrency: number, body: (session: Session) => Promise<Extra[]>): Promise<{ extras: Extra[]; outcomes: CellResult['outcomes'] }> {
  const place = await placeFor(context);
  const session = await openSession(context, place, { concurrency });
  try {
    const extras = await body(session);
    await closeSession(session);
    return { extras, outcomes: await count(context, place) };
  } finally {
    session.child.kill('SIGKILL');
  }
}

async function submit(session: Session, context: CellContext, jobs: ReturnType<typeof recordedJobs>): Promise<void> {
  await session.child.ask({ op: 'submit', ledger: context.ledger.path, jobs, inFlight: 8 }, 60_000);
}

export const none: Fault = {
  id: 'none',
  summary: `the control: ${CONTROL_JOBS} jobs and no fault; every one must run exactly once`,
  quick: () => false,
  notApplicable: () => undefined,
  async run(context) {
    const { extras, outcomes } = await inSession(context, 10, async (session) => {
      await submit(session, context, recordedJobs(context.ledger, CONTROL_JOBS, 'sleep', { ms: 10 }));
      await waitUntil(() => allSettled(context), 20_000, context.signal);
      return [died(session)];
    });
    return { outcomes, extras, setup: `${CONTROL_JOBS} × sleep 10ms`, settings: describeSettings(context.subject, { concurrency: 10 }) };
  },
  expect: () => ({
    checks: [{ metric: 'done once', op: '=', value: CONTROL_JOBS }, { metric: 'lost', op: '=', value: 0 }, { metric: 'done more than once', op: '=', value: 0 }],
    reason: 'no fault: every runner must run every accepted job once',
  }),
};

function retryOptions(subject: LabSubject): SubmitOptions | undefined {
  return subject.traits.retries && subject.traits.options.includes('attempts') ? { attempts: 2 } : undefined;
}

export const throws: Fault = {
  id: 'throw',
  summary: `one job of ${BYSTANDERS + 1} throws on its first attempt (given attempts: 2 where the runner retries)`,
  quick: () => false,
  notApplicable: () => undefined,
  async run(context) {
    const retry = retryOptions(context.subject);
    const { extras, outcomes } = await inSession(context, 10, async (session) => {
      const jobs = [...recordedJobs(context.ledger, 1, 'fail', { times: 1 }, retry), ...recordedJobs(context.ledger, BYSTANDERS, 'sleep', { ms: 10 })];
      await submit(session, context, jobs);
      const all = jobs.length;
      // Settled: every job done, or (no retry coming) done or failed.
      await waitUntil(() => {
        const o = context.ledger.outcomes();
        return o.done === all || (retry === undefined && o.done + o.failed === all);
      }, 15_000, context.signal);
      return [died(session)];
    });
    return { outcomes, extras, setup: `1 × fail{times:1} + ${BYSTANDERS} × sleep 10ms, attempts 2 where the runner retries`, settings: describeSettings(context.subject, { concurrency: 10 }) };
  },
  expect: (subject) =>
    retryOptions(subject) === undefined
      ? {
          checks: [{ metric: 'failed', op: '=', value: 1 }, { metric: 'done once', op: '=', value: BYSTANDERS }, { metric: 'process died', op: '=', value: 0 }],
          reason: 'retries false: the error reaches the caller (ticket or onError) and the job is not run again; the others carry on',
        }
      : {
          checks: [{ metric: 'done once', op: '=', value: BYSTANDERS + 1 }, { metric: 'failed', op: '=', value: 0 }, { metric: 'process died', op: '=', value: 0 }],
          reason: 'retries true: the failed attempt runs again and succeeds',
        },
};

export const crash: Fault = {
  id: 'crash',
  summary: `one job of ${BYSTANDERS + 1} throws outside its promise (an uncaught exception); a durable runner gets a fresh process, up to 3 times`,
  quick: (s) => s.id === 'task' || s.id === 'worker-pool',
  notApplicable: () => undefined,
  async run(context) {
    const place = await placeFor(context);
    const jobs = [...recordedJobs(context.ledger, 1, 'crash', null), ...recordedJobs(context.ledger, BYSTANDERS, 'sleep', { ms: 200 })];
    if (context.subject.store !== undefined) {
      // The app accepts the jobs; worker processes run them (and the first one dies on the crash).
      const producer = await openSession(context, place, { concurrency: 10, consume: false });
      await submit(producer, context, jobs);
      await closeSession(producer);
    }
    let session = await openSession(context, place, { concurrency: 10 });
    let deaths = 0;
    let starts = 1;
    try {
      if (context.subject.store === undefined) await submit(session, context, jobs);
      for (;;) {
        const current = session;
        // Until the process dies, or every job is settled (a runner that survives the crash).
        await waitUntil(() => current.child.dead() || allSettled(context) || (context.subject.store !== undefined && context.ledger.outcomes().done >= BYSTANDERS), 10_000, context.signal);
        if (!current.child.dead()) break;
        deaths++;
        // What a supervisor (systemd, pm2) does. Only a store gives the new process anything to do.
        if (context.subject.store === undefined || starts >= 4) break;
        session = await openSession(context, place, { concurrency: 10 });
        starts++;
      }
      // A durable runner that survived: let it finish what it recovered.
      if (!session.child.dead() && context.subject.store !== undefined) await waitUntil(() => context.ledger.outcomes().done >= BYSTANDERS, 15_000, context.signal);
      await closeSession(session);
    } finally {
      session.child.kill('SIGKILL');
    }
    const outcomes = await count(context, place);
    return {
      outcomes,
      extras: [{ metric: 'process deaths', value: deaths, unit: 'processes', better: 'lower' }, { metric: 'processes started', value: starts, unit: 'processes', better: 'lower' }],
      setup: `1 × crash + ${BYSTANDERS} × sleep 200ms; a durable runner gets a fresh process after each death, up to 3`,
      settings: `${describeSettings(context.subject, { concurrency: 10 })}${context.subject.store === undefined ? '' : ', maxStalledCount 1'}`,
    };
  },
  expect(subject) {
    if (subject.traits.isolation !== 'none') {
      return {
        checks: [{ metric: 'process deaths', op: '=', value: 0 }, { metric: 'failed', op: '≥', value: 1 }, { metric: 'lost', op: '=', value: 0 }],
        reason: `isolation ${subject.traits.isolation}: the crash ends its ${subject.traits.isolation} and fails the jobs running there; the process and the rest carry on`,
      };
    }
    if (subject.traits.durable) {
      return {
        checks: [{ metric: 'process deaths', op: '≥', value: 1 }, { metric: 'lost', op: '=', value: 0 }],
        reason: 'isolation none: each delivery of the job ends the process; durable: a fresh process recovers the rest, and the queue fails what stalled more than maxStalledCount times',
      };
    }
    return {
      checks: [{ metric: 'process deaths', op: '=', value: 1 }, { metric: 'lost', op: '>', value: 0 }],
      reason: 'isolation none: an uncaught exception ends the process; not durable: every unfinished job goes with it',
    };
  },
};

function hangFault(withTimeout: boolean): Fault {
  const options: SubmitOptions | undefined = withTimeout ? { timeoutMs: HANG_TIMEOUT_MS } : undefined;
  return {
    id: withTimeout ? 'hang-timeout' : 'hang',
    summary: `a job that never settles, then ${HANG_BYSTANDERS} more, at concurrency 1${withTimeout ? `, the hung one with timeoutMs ${HANG_TIMEOUT_MS}` : ', no timeout'}`,
    quick: (s) => s.id === 'task',
    notApplicable: (s) => (withTimeout && !s.traits.options.includes('timeoutMs') ? `${s.id} has no timeoutMs (traits.options): nothing can end a hung job but a stop` : undefined),
    async run(context) {
      let doneInWindow = 0;
      const { extras, outcomes } = await inSession(context, 1, async (session) => {
        const bystanders = recordedJobs(context.ledger, HANG_BYSTANDERS, 'sleep', { ms: 10 });
        await submit(session, context, [...recordedJobs(context.ledger, 1, 'hang', null as Json, options), ...bystanders]);
        const ids = new Set(bystanders.map((j) => j.uuid));
        const done = () => [...context.ledger.counts().keys()].filter((u) => ids.has(u)).length;
        // With a timeout, how long the others take is the runner's (a pool starts a new thread
        // first): wait for them, up to a bound. Without one, a fixed window shows they never start.
        if (withTimeout) await waitUntil(() => done() === HANG_BYSTANDERS, 2 * HANG_WINDOW_MS, context.signal);
        else await pause(HANG_WINDOW_MS, context.signal);
        doneInWindow = done();
        return [died(session)];
      });
      return {
        outcomes,
        extras: [...extras, { metric: 'others done in window', value: doneInWindow, unit: 'jobs', better: 'higher' }],
        setup: `1 × hang${withTimeout ? ` timeoutMs ${HANG_TIMEOUT_MS}` : ''} + ${HANG_BYSTANDERS} × sleep 10ms; counted after ${withTimeout ? `the others finish (at most ${HANG_WINDOW_MS * 2} ms)` : `${HANG_WINDOW_MS} ms`}, then a stop without drain`,
        settings: describeSettings(context.subject, { concurrency: 1 }),
      };
    },
    expect(subject) {
      if (withTimeout) {
        return {
          checks: [{ metric: 'others done in window', op: '=', value: HANG_BYSTANDERS }, { metric: 'failed', op: '=', value: 1 }],
          reason: `timeoutMs: the hung attempt fails after ${HANG_TIMEOUT_MS} ms and frees its slot; the jobs behind it run`,
        };
      }
      const stored = subject.traits.durable ? [{ metric: 'lost', op: '=' as const, value: 0 }] : [];
      return subject.accepts.concurrency
        ? {
            checks: [{ metric: 'others done in window', op: '=', value: 0 }, ...stored],
            reason: `concurrency 1 and no timeout: the hung job holds the only slot for good, nothing behind it runs${subject.traits.durable ? '; durable: at the stop they stay stored' : ''}`,
          }
        : {
            checks: [{ metric: 'others done in window', op: '=', value: HANG_BYSTANDERS }],
            reason: 'no concurrency limit: the others run beside the hung job, which never ends',
          };
    },
  };
}

export const hang = hangFault(false);
export const hangTimeout = hangFault(true);
