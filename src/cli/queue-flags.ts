// What `worker` and `submit` agree on, so that one can feed the other from another shell:
// which runners have a queue another process can read (scope `cluster`: the BullMQ ones),
// where its store is (--redis-url / --database-url, else REDIS_URL / DATABASE_URL), the
// queue's name and its namespace (the Redis key prefix or PostgreSQL schema), and how to say
// all of that to someone who wants to add jobs with plain BullMQ.

import type { Command } from 'commander';
import type { Json } from '../contract.ts';
import { LocalRunnerError } from '../errors.ts';
import { defaultNamespace } from '../runners/bullmq/descriptor.ts';
import { describeRunner, descriptors } from '../runners/registry.ts';

export type StoreKind = 'redis' | 'postgres';

/** The queue both commands use when none is named. */
export const DEFAULT_QUEUE = 'need-a-queue';

export interface SharedQueueFlags {
  readonly runner: string;
  readonly queue: string;
  readonly redisUrl?: string;
  readonly databaseUrl?: string;
  readonly namespace?: string;
}

export interface SharedQueue {
  readonly runner: 'bullmq-redis' | 'bullmq-postgres';
  readonly kind: StoreKind;
  readonly queue: string;
  readonly namespace: string;
  /** The URL flag and variable for this store, for messages. */
  readonly flag: '--redis-url' | '--database-url';
  readonly variable: 'REDIS_URL' | 'DATABASE_URL';
  /** The URL from the flag, else the variable; undefined when neither is set. */
  readonly given: string | undefined;
}

const shared = descriptors.filter((d) => d.traits.scope === 'cluster').map((d) => d.id);

/** Adds --runner, --queue, --redis-url, --database-url and --namespace. */
export function withSharedQueueFlags(command: Command): Command {
  return command
    .option('--runner <id>', `${shared.join(' or ')}: a runner whose queue other processes read`, 'bullmq-redis')
    .option('--queue <name>', 'the queue', DEFAULT_QUEUE)
    .option('--redis-url <url>', 'Redis URL for bullmq-redis (default: REDIS_URL)')
    .option('--database-url <url>', 'PostgreSQL URL for bullmq-postgres (default: DATABASE_URL)')
    .option('--namespace <name>', `Redis key prefix or PostgreSQL schema (default: ${defaultNamespace.redis} / ${defaultNamespace.postgres})`);
}

/**
 * The queue the flags name. UnknownRunnerError for a name that is no runner, LocalRunnerError
 * for an in-process runner (its jobs live in one process's memory: nothing to feed or share).
 */
export function sharedQueue(command: 'submit' | 'worker', flags: SharedQueueFlags, env: Readonly<Record<string, string | undefined>>): SharedQueue {
  const descriptor = describeRunner(flags.runner);
  if (descriptor.traits.scope !== 'cluster' || (descriptor.id !== 'bullmq-redis' && descriptor.id !== 'bullmq-postgres')) {
    throw new LocalRunnerError(command, descriptor.id, shared);
  }
  const kind: StoreKind = descriptor.id === 'bullmq-redis' ? 'redis' : 'postgres';
  const given = kind === 'redis' ? flags.redisUrl ?? env.REDIS_URL : flags.databaseUrl ?? env.DATABASE_URL;
  return {
    runner: descriptor.id,
    kind,
    queue: flags.queue,
    namespace: flags.namespace ?? defaultNamespace[kind],
    flag: kind === 'redis' ? '--redis-url' : '--database-url',
    variable: kind === 'redis' ? 'REDIS_URL' : 'DATABASE_URL',
    given: given === '' ? undefined : given,
  };
}

/** The runner tuning that puts it in this queue's namespace. */
export function namespaceTuning(queue: SharedQueue): Record<string, Json> {
  return { [queue.kind === 'redis' ? 'prefix' : 'schema']: queue.namespace };
}

/** A URL fit to print: its password, if any, replaced. */
export function shownUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password === '') return url;
    parsed.password = '***';
    return parsed.toString();
  } catch {
    return url;
  }
}

/**
 * How to add jobs to this queue from another shell: with `submit`, and with plain BullMQ (the
 * same queue name and namespace, which BullMQ would otherwise default to `bull` / `bullmq`).
 * The URL is shown whole when it is the worker's own private store (its password is of use to
 * nobody else, and the command must work when pasted); a URL the user gave has its password hidden.
 */
export function feedInstructions(queue: SharedQueue, url: string): string[] {
  const shown = queue.given === undefined ? url : shownUrl(url);
  const submit = `npx need-a-queue submit sleep '{"ms":100}' --count 10${queue.runner === 'bullmq-redis' ? '' : ' --runner bullmq-postgres'} --queue ${queue.queue} ${queue.flag} ${shown}`;
  let plain: string;
  if (queue.kind === 'redis') {
    const u = new URL(url);
    plain = `new Queue('${queue.queue}', { connection: { host: '${u.hostname}', port: ${u.port === '' ? 6379 : u.port} }, prefix: '${queue.namespace}' }).add('sleep', { ms: 100 })`;
  } else {
    plain = `new Queue('${queue.queue}', { connection: { connectionString: '${shown}', schema: '${queue.namespace}' } }, createPostgresBackend).add('sleep', { ms: 100 })`;
  }
  return [`feed it from another shell: ${submit}`, `  or with plain BullMQ: ${plain}`];
}
