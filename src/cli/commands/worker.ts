// `need-a-queue worker`: a standalone BullMQ worker for the job catalogue. Start one per
// process (or machine) against the same REDIS_URL / DATABASE_URL and they share the queue:
// the kit's way of showing scale-out without a home-made network layer.
// SIGTERM or Ctrl-C stops it gracefully: in-flight jobs finish, waiting jobs stay stored.

import type { Command } from 'commander';
import { InvalidOptionError } from '../../errors.ts';
import { createServiceHub } from '../../services/index.ts';
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
      // The store comes from the service hub, as for `run` and `bench`: a URL given (flag or
      // environment) is checked under the hub's deadline and a bad one is a typed error with
      // the fix (it printed a stack, or waited forever on a closed port); no URL starts a
      // private server, whose URL is printed so another shell can feed this worker.
      const kind = opts.runner === 'bullmq-redis' ? 'redis' : 'postgres';
      const given = kind === 'redis' ? (opts.redisUrl ?? process.env.REDIS_URL) : (opts.databaseUrl ?? process.env.DATABASE_URL);
      const hub = createServiceHub({ env: { ...process.env, ...(given === undefined ? {} : kind === 'redis' ? { REDIS_URL: given } : { DATABASE_URL: given }) } });
      let url: string;
      try {
        const endpoint = kind === 'redis' ? await hub.redis() : await hub.postgres();
        url = endpoint.url;
        if (given === undefined) {
          const variable = kind === 'redis' ? 'REDIS_URL' : 'DATABASE_URL';
          process.stdout.write(`no ${variable} or --${kind === 'redis' ? 'redis' : 'database'}-url given: started ${endpoint.origin === 'embedded-postgres' ? 'an embedded PostgreSQL' : 'a private redis-server'} at ${url}; it stops with this worker. Point producers at it with ${variable}=${url}\n`);
        }
      } catch (error) {
        await hub.stop();
        throw error;
      }
      const { stop } = await startWorkerProcess({
        runner: opts.runner,
        queue: opts.queue,
        concurrency: opts.concurrency,
        progress: opts.progress === true,
        url,
        ...(opts.namespace === undefined ? {} : { namespace: opts.namespace }),
        ...(opts.lockDuration === undefined ? {} : { lockDuration: opts.lockDuration }),
        ...(opts.stalledInterval === undefined ? {} : { stalledInterval: opts.stalledInterval }),
      });
      stopOnSignals(async () => {
        await stop();
        await hub.stop();
      });
      // Keep the action pending: the process lives until a signal ends it.
      await new Promise<never>(() => undefined);
    });
}
