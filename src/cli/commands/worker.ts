// `need-a-queue worker`: a standalone BullMQ worker for the job catalogue. Start one per
// process (or machine) against the same REDIS_URL / DATABASE_URL and they share the queue:
// the kit's way of showing scale-out without a home-made network layer.
// SIGTERM or Ctrl-C stops it gracefully: in-flight jobs finish, waiting jobs stay stored.

import type { Command } from 'commander';
import { InvalidOptionError } from '../../errors.ts';
import { startWorkerProcess, stopOnSignals } from '../../runners/bullmq/worker-process.ts';

function positive(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new InvalidOptionError(name, 'an integer >= 1', value);
    return n;
  };
}

export function register(program: Command): void {
  program
    .command('worker')
    .description('run a BullMQ worker for the job catalogue until SIGTERM (several processes or machines may share one queue)')
    .requiredOption('--runner <id>', 'bullmq-redis or bullmq-postgres')
    .requiredOption('--queue <name>', 'queue to consume')
    .option('--concurrency <n>', 'jobs at once', positive('--concurrency'), 10)
    .option('--redis-url <url>', 'Redis URL (default: REDIS_URL)')
    .option('--database-url <url>', 'PostgreSQL URL (default: DATABASE_URL)')
    .option('--namespace <name>', 'Redis key prefix or PostgreSQL schema (default: need-a-queue / need_a_queue)')
    .option('--lock-duration <ms>', 'BullMQ lockDuration', positive('--lock-duration'))
    .option('--stalled-interval <ms>', 'BullMQ stalledInterval', positive('--stalled-interval'))
    .option('--progress', 'print one progress line a second')
    .action(async (opts: { runner: string; queue: string; concurrency: number; redisUrl?: string; databaseUrl?: string; namespace?: string; lockDuration?: number; stalledInterval?: number; progress?: boolean }) => {
      if (opts.runner !== 'bullmq-redis' && opts.runner !== 'bullmq-postgres') throw new InvalidOptionError('--runner', '`bullmq-redis` or `bullmq-postgres`', opts.runner);
      const url = opts.runner === 'bullmq-redis' ? (opts.redisUrl ?? process.env.REDIS_URL) : (opts.databaseUrl ?? process.env.DATABASE_URL);
      const { stop } = await startWorkerProcess({
        runner: opts.runner,
        queue: opts.queue,
        concurrency: opts.concurrency,
        progress: opts.progress === true,
        ...(url === undefined ? {} : { url }),
        ...(opts.namespace === undefined ? {} : { namespace: opts.namespace }),
        ...(opts.lockDuration === undefined ? {} : { lockDuration: opts.lockDuration }),
        ...(opts.stalledInterval === undefined ? {} : { stalledInterval: opts.stalledInterval }),
      });
      stopOnSignals(stop);
      // Keep the action pending: the process lives until a signal ends it.
      await new Promise<never>(() => undefined);
    });
}
