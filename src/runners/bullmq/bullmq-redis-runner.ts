// `bullmq-redis`: BullMQ on Redis through the shared core (bullmq-runner.ts; tuning.ts
// documents the tuning). Needs `redisUrl`; keys live under `tuning.prefix` (default
// `need-a-queue`), never BullMQ's default `bull`, so a user's own queues are not touched.

import type { Runner, RunnerOptions } from '../../contract.ts';
import { createBullmqRunner } from './bullmq-runner.ts';

export function createBullmqRedisRunner(options: RunnerOptions): Promise<Runner> {
  return createBullmqRunner('bullmq-redis', 'redis', options);
}
