// `need-a-queue runners`: every runner with the traits it declares (and the conformance
// suite proves), so a reader can see the trade-offs in one table. Read off the runners'
// static descriptors: no runner is created and no Redis or PostgreSQL is started.

import type { Command } from 'commander';
import type { RunnerOptions } from '../../contract.ts';
import { descriptors, servicesFor } from '../../runners/registry.ts';
import type { ServiceHub } from '../../services/index.ts';
import { formatTable } from '../format-table.ts';

export function registerRunners(program: Command): void {
  program
    .command('runners')
    .description('list the runners and the guarantees each declares (starts nothing)')
    .action(() => {
      const rows: string[][] = [['runner', 'durable', 'delivery', 'result', 'retries', 'isolation', 'scope', 'submit options', 'needs']];
      for (const { id, traits, services } of descriptors) {
        rows.push([id, String(traits.durable), traits.delivery, String(traits.result), String(traits.retries), traits.isolation, traits.scope, traits.options.join(' ') || '-', services.join(' ') || '-']);
      }
      process.stdout.write(formatTable(rows));
    });
}

/** Connection options for a runner from the hub: only the services it needs are started. */
export async function serviceOptions(id: string, hub: ServiceHub): Promise<RunnerOptions> {
  const needs = servicesFor(id);
  return {
    ...(needs.includes('redis') ? { redisUrl: (await hub.redis()).url } : {}),
    ...(needs.includes('postgres') ? { databaseUrl: (await hub.postgres()).url } : {}),
  };
}

/**
 * The line to print before a private store is started that takes long enough to look like a
 * hang: embedded PostgreSQL needs several seconds (initdb, then the server), redis-server a
 * few milliseconds. Undefined when nothing slow will start.
 */
export function privateStoreNotice(id: string, env: Readonly<Record<string, string | undefined>>): string | undefined {
  if (!servicesFor(id).includes('postgres') || (env.DATABASE_URL ?? '') !== '') return undefined;
  return `no DATABASE_URL: starting an embedded PostgreSQL for ${id}, which takes several seconds (set DATABASE_URL to use yours)`;
}
