// Overload: jobs offered at twice the rate the runner drains them, for a fixed time. Where does
// the excess go: refused at submit (maxQueue), held back (a stage's full buffer makes submit
// wait), kept in the store, or piled up in memory? Then the process stops without draining,
// and the ledger says what that backlog was worth.

import { closeSession, count, openSession, placeFor, allSettled } from '../session.ts';
import { describeSettings, type LabSubject } from '../subjects.ts';
import { mustWait, recordedJobs, type Fault } from '../cell.ts';

const CONCURRENCY = 4;
const JOB_MS = 20;
const CALIBRATION_JOBS = 40;
const OVERLOAD_MS = 2000;
const MAX_QUEUE = 20;
// A runner with no concurrency limit drains as fast as jobs come; cap the offer so the lab
// measures the runner, not how fast this machine can make submits.
const MAX_OFFER_PER_SECOND = 1000;

function bound(subject: LabSubject): 'maxQueue' | 'backpressure' | 'store' | 'none' {
  if (subject.accepts.maxQueue) return 'maxQueue';
  if (subject.backpressure) return 'backpressure';
  if (subject.traits.durable) return 'store';
  return 'none';
}

export const overload: Fault = {
  id: 'overload',
  summary: `jobs offered at twice the measured drain rate (at most ${MAX_OFFER_PER_SECOND}/s) for ${OVERLOAD_MS} ms, then a stop without drain`,
  quick: () => false,
  notApplicable: () => undefined,
  async run(context) {
    const place = await placeFor(context);
    const session = await openSession(context, place, { concurrency: CONCURRENCY, maxQueue: MAX_QUEUE });
    try {
      await session.child.ask({ op: 'submit', ledger: context.ledger.path, jobs: recordedJobs(context.ledger, CALIBRATION_JOBS, 'sleep', { ms: JOB_MS }), inFlight: 8 }, 60_000);
      await mustWait(() => allSettled(context), 30_000, context.signal, 'the calibration batch to drain');
      // From the first finish to the last: the steady drain, without the submits and the start.
      const finishes = context.ledger.records().filter((r) => r.kind === 'finish').map((r) => r.at);
      const drainPerSecond = (finishes.length - 1) / Math.max(0.001, (Math.max(...finishes) - Math.min(...finishes)) / 1000);
      const ratePerSecond = Math.min(MAX_OFFER_PER_SECOND, Math.round(2 * drainPerSecond));
      const before = await session.child.ask({ op: 'memory' });
      const answer = await session.child.ask({ op: 'overload', ledger: context.ledger.path, inner: { job: 'sleep', data: { ms: JOB_MS } }, ratePerSecond, durationMs: OVERLOAD_MS, inFlight: 16 }, OVERLOAD_MS + 60_000);
      const after = await session.child.ask({ op: 'memory' });
      await closeSession(session);
      return {
        outcomes: await count(context, place),
        extras: [
          { metric: 'drain rate', value: Math.round(drainPerSecond), unit: 'jobs/s', better: 'higher' },
          { metric: 'offered', value: Number(answer.offered), unit: 'jobs', better: 'higher' },
          { metric: 'behind schedule', value: Number(answer.behind), unit: 'jobs', better: 'lower' },
          { metric: 'rss growth', value: Math.round((Number(after.rss) - Number(before.rss)) / 2 ** 20), unit: 'MiB', better: 'lower' },
        ],
        setup: `sleep ${JOB_MS}ms jobs offered at twice the drain rate (at most ${MAX_OFFER_PER_SECOND}/s) for ${OVERLOAD_MS} ms, 16 submits at a time, then a stop without drain`,
        settings: `${describeSettings(context.subject, { concurrency: CONCURRENCY, maxQueue: MAX_QUEUE })}, offered ${ratePerSecond}/s`,
      };
    } finally {
      session.child.kill('SIGKILL');
    }
  },
  expect(subject) {
    switch (bound(subject)) {
      case 'maxQueue':
        return { checks: [{ metric: 'rejected at submit', op: '>', value: 0 }], reason: `maxQueue ${MAX_QUEUE}: past the bound submit refuses (QueueFullError) and the caller knows; memory stays flat` };
      case 'backpressure':
        return { checks: [{ metric: 'behind schedule', op: '>', value: 0 }, { metric: 'rejected at submit', op: '=', value: 0 }], reason: 'a full buffer makes submit wait: the producer is held to the consumers\' pace, nothing is refused' };
      case 'store':
        return { checks: [{ metric: 'lost', op: '=', value: 0 }, { metric: 'still stored', op: '>', value: 0 }], reason: 'durable: the backlog waits in the store, not in this process\'s memory, and survives the stop' };
      case 'none':
        return { checks: [{ metric: 'rejected at submit', op: '=', value: 0 }], reason: 'no bound: every offered job is taken into memory at once; what a stop cuts short is lost' };
    }
  },
};
