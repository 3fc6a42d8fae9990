// Two runners share this folder and its core (bullmq-runner.ts): the same traits and
// tuning, a different store.

import type { RunnerDescriptor, RunnerTraits } from '../../contract.ts';

// isolation 'none': the Worker runs jobs on this process's event loop, so `crash` takes the
// caller down with it. Process isolation comes from running `need-a-queue worker` processes.
const traits: RunnerTraits = {
  durable: true,
  delivery: 'at-least-once',
  result: true,
  retries: true,
  isolation: 'none',
  scope: 'cluster',
  options: ['id', 'attempts', 'backoff', 'delayMs', 'timeoutMs', 'priority'],
};

/** Tuning both backends take; the namespace key (`prefix` / `schema`) is added per backend. */
const tuning = ['consume', 'lockDuration', 'stalledInterval', 'maxStalledCount', 'drainDelay', 'cleanup'] as const;

export const redisDescriptor: RunnerDescriptor<'bullmq-redis'> = {
  id: 'bullmq-redis',
  summary: 'BullMQ on Redis: durable, retried, run by any process that reaches the store',
  traits,
  services: ['redis'],
  options: ['concurrency', 'queue', 'redisUrl', 'tuning', 'submitTimeoutMs', 'maxPendingSubmits'],
  concurrency: 10,
  tuning: [...tuning, 'prefix'],
  load: async () => (await import('./bullmq-redis-runner.ts')).createBullmqRedisRunner,
};

export const postgresDescriptor: RunnerDescriptor<'bullmq-postgres'> = {
  id: 'bullmq-postgres',
  summary: 'BullMQ 6 on PostgreSQL: durable, retried, run by any process that reaches the store',
  traits,
  services: ['postgres'],
  options: ['concurrency', 'queue', 'databaseUrl', 'tuning', 'submitTimeoutMs', 'maxPendingSubmits'],
  concurrency: 10,
  tuning: [...tuning, 'schema'],
  load: async () => (await import('./bullmq-postgres-runner.ts')).createBullmqPostgresRunner,
};

/**
 * The namespace the kit's queues live in unless `tuning.prefix` / `tuning.schema` says
 * otherwise: never BullMQ's own defaults (`bull`, `bullmq`), so a user's other queues on the
 * same store are not touched. Anything else feeding these queues (plain BullMQ, `submit`)
 * must use the same one.
 */
export const defaultNamespace = { redis: 'need-a-queue', postgres: 'need_a_queue' } as const;
