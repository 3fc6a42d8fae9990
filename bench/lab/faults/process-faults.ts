// Faults that happen to the process: SIGKILL mid-batch, then a fresh process on the same store
// (what is recovered, and how long until the last recovered job finishes), and SIGTERM (does a
// graceful stop finish what is in flight within its deadline, and what stays stored).

import { closeSession, count, openSession, placeFor, allSettled } from '../session.ts';
import { describeSettings, LOCK_DURATION_MS } from '../subjects.ts';
import { finishedCount, inFlight, mustWait, waitUntil, recordedJobs, type CellContext, type Fault } from '../cell.ts';

const JOBS = 60;
const JOB_MS = 200;
const CONCURRENCY = 10;
const DRAIN_DEADLINE_MS = 500;
const NOTHING_TO_RECOVER_MS = 1000;

/** Mid-batch: some jobs done and some running, or, with no concurrency limit, everything running. */
async function midBatch(context: CellContext, uuids: ReadonlySet<string>): Promise<void> {
  await mustWait(() => finishedCount(context.ledger, uuids) >= CONCURRENCY || inFlight(context.ledger) >= 2 * CONCURRENCY, 20_000, context.signal, 'the batch to get under way');
}

export const sigkill: Fault = {
  id: 'sigkill',
  summary: `SIGKILL of the process mid-batch (${JOBS} jobs of ${JOB_MS} ms), then a fresh process on the same store`,
  quick: (s) => s.id === 'fire-and-forget' || s.id === 'bullmq-redis',
  notApplicable: () => undefined,
  async run(context) {
    const place = await placeFor(context);
    const first = await openSession(context, place, { concurrency: CONCURRENCY });
    let second: Awaited<ReturnType<typeof openSession>> | undefined;
    try {
      const jobs = recordedJobs(context.ledger, JOBS, 'sleep', { ms: JOB_MS });
      const uuids = new Set(jobs.map((j) => j.uuid));
      await first.child.ask({ op: 'submit', ledger: context.ledger.path, jobs, inFlight: 8 }, 60_000);
      await midBatch(context, uuids);
      // #region kill-and-restart
      const inFlightAtKill = inFlight(context.ledger);
      const killedAt = performance.timeOrigin + performance.now();
      first.child.kill('SIGKILL');
      await first.child.exited;
      const unfinished = JOBS - context.ledger.outcomes().done;
      // A fresh process, as a supervisor would start: only a store gives it anything to run.
      second = await openSession(context, place, { concurrency: CONCURRENCY });
      const current = second;
      if (context.subject.store === undefined) await waitUntil(() => current.child.dead(), NOTHING_TO_RECOVER_MS, context.signal);
      else await waitUntil(() => allSettled(context), 30_000, context.signal, 50);
      // #endregion kill-and-restart
      const finishes = context.ledger.records().filter((r) => r.kind === 'finish' && r.at > killedAt);
      const lastFinish = Math.max(killedAt, ...finishes.map((r) => r.at));
      await closeSession(second);
      return {
        outcomes: await count(context, place),
        extras: [
          { metric: 'in flight at kill', value: inFlightAtKill, unit: 'jobs', better: 'lower' },
          { metric: 'unfinished at kill', value: unfinished, unit: 'jobs', better: 'lower' },
          { metric: 'recovered', value: finishes.length, unit: 'jobs', better: 'higher' },
          ...(finishes.length === 0 ? [] : [{ metric: 'last recovered job done after', value: Math.round(lastFinish - killedAt), unit: 'ms', better: 'lower' as const }]),
        ],
        setup: `${JOBS} × sleep ${JOB_MS}ms; SIGKILL once ${CONCURRENCY} are done (or ${2 * CONCURRENCY} running), then a fresh process`,
        settings: describeSettings(context.subject, { concurrency: CONCURRENCY }),
      };
    } finally {
      first.child.kill('SIGKILL');
      second?.child.kill('SIGKILL');
    }
  },
  expect(subject, result) {
    const unfinished = result.extras.find((e) => e.metric === 'unfinished at kill')?.value ?? 0;
    return subject.traits.durable
      ? {
          // Only the jobs the dead process held (at most its concurrency) can run twice.
          checks: [{ metric: 'lost', op: '=', value: 0 }, { metric: 'done more than once', op: '≤', value: CONCURRENCY }],
          reason: `durable, ${subject.traits.delivery}: the store keeps every job; the fresh process reruns the dead one's active jobs (at most ${CONCURRENCY}) once their ${LOCK_DURATION_MS} ms lock lapses`,
        }
      : {
          checks: [{ metric: 'lost', op: '=', value: unfinished }, { metric: 'lost', op: '>', value: 0 }],
          reason: 'not durable: every job not finished at the kill lived only in that process: lost, and nothing can recover it',
        };
  },
};

export const sigterm: Fault = {
  id: 'sigterm',
  summary: `SIGTERM mid-batch (${JOBS} jobs of ${JOB_MS} ms): a graceful stop with a ${DRAIN_DEADLINE_MS} ms deadline`,
  quick: () => false,
  notApplicable: () => undefined,
  async run(context) {
    const place = await placeFor(context);
    const session = await openSession(context, place, { concurrency: CONCURRENCY }, { NAQ_LAB_DRAIN_MS: String(DRAIN_DEADLINE_MS) });
    try {
      const jobs = recordedJobs(context.ledger, JOBS, 'sleep', { ms: JOB_MS });
      await session.child.ask({ op: 'submit', ledger: context.ledger.path, jobs, inFlight: 8 }, 60_000);
      await midBatch(context, new Set(jobs.map((j) => j.uuid)));
      const t0 = performance.now();
      session.child.kill('SIGTERM');
      const code = await Promise.race([session.child.exited, new Promise<string>((resolve) => setTimeout(() => resolve('still running'), 15_000))]);
      const tookMs = performance.now() - t0;
      await closeSession(session);
      return {
        outcomes: await count(context, place),
        extras: [
          { metric: 'exit code', value: typeof code === 'number' ? code : -1, unit: 'code', better: 'lower' },
          { metric: 'stop took', value: Math.round(tookMs), unit: 'ms', better: 'lower' },
        ],
        setup: `${JOBS} × sleep ${JOB_MS}ms; SIGTERM → stop({ drain: true, timeoutMs: ${DRAIN_DEADLINE_MS} })`,
        settings: describeSettings(context.subject, { concurrency: CONCURRENCY }),
      };
    } finally {
      session.child.kill('SIGKILL');
    }
  },
  expect(subject) {
    const exit = [{ metric: 'exit code', op: '=' as const, value: 0 }, { metric: 'done more than once', op: '=' as const, value: 0 }];
    if (subject.traits.durable) {
      return {
        checks: [...exit, { metric: 'lost', op: '=', value: 0 }, { metric: 'still stored', op: '>', value: 0 }],
        reason: 'durable: a graceful stop finishes the jobs in flight; the ones not started stay in the store for the next worker',
      };
    }
    return subject.accepts.concurrency
      ? {
          checks: [...exit, { metric: 'lost', op: '>', value: 0 }],
          reason: `not durable: the drain runs what it can in ${DRAIN_DEADLINE_MS} ms; the queued rest lived in memory and is lost`,
        }
      : {
          checks: [...exit, { metric: 'lost', op: '=', value: 0 }],
          reason: `no concurrency limit: every job was already running and finishes within the ${DRAIN_DEADLINE_MS} ms deadline`,
        };
  },
};
