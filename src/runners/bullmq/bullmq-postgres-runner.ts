// `bullmq-postgres`: BullMQ 6 on PostgreSQL (`createPostgresBackend`) through the shared core
// (bullmq-runner.ts; tuning.ts documents the tuning). Needs `databaseUrl`. The kit
// runs the schema migrations itself (`runMigrations`) into `tuning.schema` (default
// `need_a_queue`, never BullMQ's default `bullmq`) before any Queue or Worker connects.

import type { Runner, RunnerOptions } from '../../contract.ts';
import { createBullmqRunner } from './bullmq-runner.ts';

export function createBullmqPostgresRunner(options: RunnerOptions): Promise<Runner> {
  return createBullmqRunner('bullmq-postgres', 'postgres', options);
}
