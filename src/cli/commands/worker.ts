// `need-a-queue worker`: a standalone BullMQ worker for the job catalogue. Start one per
// process (or machine) against the same REDIS_URL / DATABASE_URL and they share the queue:
// the kit's way of showing scale-out without a home-made network layer. Feed it with
// `need-a-queue submit` or with plain BullMQ (`queue.add(name, data)`) from another shell.
// SIGTERM or Ctrl-C stops it gracefully: in-flight jobs finish, waiting jobs stay stored.

import type { Command } from 'commander';
import { InvalidOptionError, messageOf } from '../../errors.ts';
import { createServiceHub } from '../../services/index.ts';
import { startWorkerProcess, stopOnSignals } from '../../runners/bullmq/worker-process.ts';
import { feedInstructions, sharedQueue, withSharedQueueFlags, type SharedQueueFlags } from '../queue-flags.ts';
import { privateStoreNotice } from './runners.ts';

function positive(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new InvalidOptionError(name, 'an integer >= 1', value);
    return n;
  };
}

interface WorkerFlags extends SharedQueueFlags {
  readonly concurrency: number;
  readonly lockDuration?: number;
  readonly stalledInterval?: number;
  readonly progress?: boolean;
}

export function register(program: Command): void {
  withSharedQueueFlags(
    program
      .command('worker')
      .description('run a BullMQ worker for the job catalogue until SIGTERM (several processes or machines may share one queue; feed it with `submit` or plain BullMQ)'),
  )
    .option('--concurrency <n>', 'jobs at once', positive('--concurrency'), 10)
    .option('--lock-duration <ms>', 'BullMQ lockDuration', positive('--lock-duration'))
    .option('--stalled-interval <ms>', 'BullMQ stalledInterval', positive('--stalled-interval'))
    .option('--progress', 'print one progress line a second')
    .action(async (opts: WorkerFlags) => {
      const queue = sharedQueue('worker', opts, process.env);
      // The store comes from the service hub, as for `run` and `bench`: a URL given (flag or
      // environment) is checked under the hub's deadline and a bad one is a typed error with
      // the fix (it printed a stack, or waited forever on a closed port); no URL starts a
      // private server, and the worker prints how to feed it from another shell.
      const hub = createServiceHub({ env: { ...process.env, ...(queue.given === undefined ? {} : { [queue.variable]: queue.given }) } });
      let url: string;
      try {
        const notice = privateStoreNotice(queue.runner, { [queue.variable]: queue.given });
        if (notice !== undefined) process.stdout.write(`${notice}\n`);
        const endpoint = queue.kind === 'redis' ? await hub.redis() : await hub.postgres();
        url = endpoint.url;
        if (queue.given === undefined) {
          process.stdout.write(`no ${queue.variable} or ${queue.flag} given: started ${endpoint.origin === 'embedded-postgres' ? 'an embedded PostgreSQL' : 'a private redis-server'} at ${url}; it stops with this worker\n`);
        }
      } catch (error) {
        await hub.stop();
        throw error;
      }
      for (const line of feedInstructions(queue, url)) process.stdout.write(`${line}\n`);
      const { stop } = await startWorkerProcess({
        runner: queue.runner,
        queue: queue.queue,
        concurrency: opts.concurrency,
        progress: opts.progress === true,
        url,
        namespace: queue.namespace,
        ...(opts.lockDuration === undefined ? {} : { lockDuration: opts.lockDuration }),
        ...(opts.stalledInterval === undefined ? {} : { stalledInterval: opts.stalledInterval }),
      }).catch(async (error: unknown) => {
        await hub.stop();
        throw error;
      });
      // A terminal's Ctrl-C signals its whole process group, and embedded PostgreSQL (whose
      // process the kit does not spawn itself) is in ours: it may shut down beside the
      // worker's drain. A store that hangs ends the same way, so the line names both. It was
      // private, so what it held ends with it either way.
      const privateStoreGone = (error: unknown): string | undefined =>
        queue.given === undefined ? `stopped: the private store stopped answering while the worker stopped (${messageOf(error)}): a terminal's Ctrl-C reaches it too, and it may have shut down first; it was private, so the jobs it held end with it` : undefined;
      stopOnSignals(async () => {
        try {
          await stop();
        } finally {
          await hub.stop();
        }
      }, privateStoreGone);
      // Keep the action pending: the process lives until a signal ends it.
      await new Promise<never>(() => undefined);
    });
}
