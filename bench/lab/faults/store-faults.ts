// Faults that happen to the store: redis-server SIGKILLed and restarted under three persistence
// settings (and the rate of single submits each allows), and PostgreSQL stopped immediately
// (a crash: no checkpoint, WAL recovery on start) under a running worker.

import { randomUUID } from 'node:crypto';
import { createLedger } from '../../../src/ledger/ledger.ts';
import type { PrivateRedisOptions } from '../../../src/services/index.ts';
import { allSettled, closeSession, count, openSession, placeFor } from '../session.ts';
import { describeSettings } from '../subjects.ts';
import { finishedCount, inFlight, mustWait, recordedJobs, waitUntil, type Fault } from '../cell.ts';

const REDIS_JOBS = 500;
const PG_JOBS = 100;
const PG_CONCURRENCY = 5;

interface Persistence {
  readonly id: string;
  readonly label: string;
  readonly options: PrivateRedisOptions;
  readonly lost: 'all' | 'none';
  readonly reason: string;
}

const persistences: readonly Persistence[] = [
  {
    id: 'redis-no-aof',
    label: 'appendonly no, no snapshots',
    options: { appendonly: false, save: '' },
    lost: 'all',
    reason: 'appendonly no and no snapshots: nothing reaches the disk, so a killed Redis comes back empty (durable assumes a store that keeps what it acknowledged)',
  },
  {
    id: 'redis-everysec',
    label: 'appendonly yes, appendfsync everysec',
    options: { appendonly: true, appendfsync: 'everysec' },
    lost: 'none',
    reason: 'AOF written on every command, fsynced each second: a killed process loses nothing the kernel already has (an OS crash could cost about a second; no kill shows that)',
  },
  {
    id: 'redis-always',
    label: 'appendonly yes, appendfsync always',
    options: { appendonly: true, appendfsync: 'always' },
    lost: 'none',
    reason: 'AOF fsynced on every write before Redis replies: an acknowledged add is on disk',
  },
];

function redisFault(p: Persistence): Fault {
  return {
    id: p.id,
    summary: `${REDIS_JOBS} accepted single submits, then redis-server SIGKILLed and restarted with ${p.label}; a fresh worker drains`,
    quick: (s) => s.store === 'redis' && p.id !== 'redis-everysec',
    notApplicable: (s) => (s.store === 'redis' ? undefined : s.store === undefined ? `${s.id} keeps jobs in its process's memory, not in Redis` : `${s.id} keeps jobs in PostgreSQL, not in Redis`),
    async run(context) {
      const redis = await context.services.privateRedis(p.options);
      const place = await placeFor(context, redis.url);
      const canary = createLedger();
      const producer = await openSession(context, place, { concurrency: 10, consume: false });
      let consumer: Awaited<ReturnType<typeof openSession>> | undefined;
      try {
        const answer = await producer.child.ask({ op: 'submit', ledger: context.ledger.path, jobs: recordedJobs(context.ledger, REDIS_JOBS, 'sleep', { ms: 0 }) }, 120_000);
        const perSecond = Number(answer.accepted) / (Number(answer.ms) / 1000);
        await closeSession(producer);
        await redis.kill('SIGKILL');
        await redis.start();
        consumer = await openSession(context, place, { concurrency: 10 });
        // A canary behind the survivors: once it has run, so has everything the queue still had.
        const uuid = randomUUID();
        await consumer.child.ask({ op: 'submit', ledger: canary.path, jobs: [{ uuid, job: 'recorded', data: canary.recorded(uuid, 'sleep', { ms: 0 }) }] });
        await mustWait(() => canary.counts().get(uuid) === 1, 30_000, context.signal, 'the canary job after the Redis restart');
        await waitUntil(() => allSettled(context) || inFlight(context.ledger) === 0, 5_000, context.signal);
        await closeSession(consumer);
        return {
          outcomes: await count(context, place),
          extras: [{ metric: 'submits/s', value: Math.round(perSecond), unit: 'jobs/s', better: 'higher' }],
          setup: `${REDIS_JOBS} × one awaited submit at a time, Redis ${p.label}, SIGKILL + restart, then a worker`,
          settings: describeSettings(context.subject, { concurrency: 10 }),
        };
      } finally {
        producer.child.kill('SIGKILL');
        consumer?.child.kill('SIGKILL');
        canary.remove();
      }
    },
    expect: () => ({
      checks: p.lost === 'all' ? [{ metric: 'lost', op: '=', value: REDIS_JOBS }] : [{ metric: 'lost', op: '=', value: 0 }, { metric: 'done once', op: '=', value: REDIS_JOBS }],
      reason: p.reason,
    }),
  };
}

export const redisFaults: readonly Fault[] = persistences.map(redisFault);

export const postgresImmediate: Fault = {
  id: 'postgres-immediate',
  summary: `PostgreSQL stopped immediately (a crash, WAL recovery on start) under a running worker, ${PG_JOBS} jobs`,
  quick: () => false,
  notApplicable: (s) => (s.store === 'postgres' ? undefined : s.store === undefined ? `${s.id} keeps jobs in its process's memory, not in PostgreSQL` : `${s.id} keeps jobs in Redis, not in PostgreSQL`),
  async run(context) {
    const postgres = await context.services.restartablePostgres();
    const place = await placeFor(context, postgres.url);
    const session = await openSession(context, place, { concurrency: PG_CONCURRENCY });
    try {
      const jobs = recordedJobs(context.ledger, PG_JOBS, 'sleep', { ms: 20 });
      await session.child.ask({ op: 'submit', ledger: context.ledger.path, jobs, inFlight: 8 }, 60_000);
      const uuids = new Set(jobs.map((j) => j.uuid));
      await mustWait(() => finishedCount(context.ledger, uuids) >= 20, 30_000, context.signal, 'the first 20 jobs');
      const crashedAt = performance.timeOrigin + performance.now();
      await postgres.restart('immediate');
      await waitUntil(() => allSettled(context), 60_000, context.signal, 100);
      const last = Math.max(crashedAt, ...context.ledger.records().filter((r) => r.kind === 'finish').map((r) => r.at));
      await closeSession(session);
      return {
        outcomes: await count(context, place),
        extras: [{ metric: 'last job done after', value: Math.round(last - crashedAt), unit: 'ms', better: 'lower' }],
        setup: `${PG_JOBS} × sleep 20ms, synchronous_commit on; pg_ctl stop -m immediate + start after 20 done`,
        settings: describeSettings(context.subject, { concurrency: PG_CONCURRENCY }),
      };
    } finally {
      session.child.kill('SIGKILL');
    }
  },
  expect: (_subject, result) => ({
    checks: [{ metric: 'lost', op: '=', value: 0 }, { metric: 'done more than once', op: '≤', value: PG_CONCURRENCY }],
    reason: `synchronous_commit on: an acknowledged add is in the WAL on disk and crash recovery replays it; stalled recovery reruns what was active (${result.outcomes.submitted} submitted)`,
  }),
};
