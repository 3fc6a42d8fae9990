// `need-a-queue runners`: every runner with the traits it declares (and the conformance
// suite proves), so a reader can see the trade-offs in one table. Traits are read off real
// runner instances, so the BullMQ rows start the services they need, as a benchmark would.

import type { Command } from 'commander';
import type { RunnerId, RunnerOptions, RunnerTraits } from '../../contract.ts';
import { NeedAQueueError } from '../../errors.ts';
import { createRunner, runnerIds, servicesFor } from '../../runners/registry.ts';
import { createServiceHub, type ServiceHub } from '../../services/index.ts';
import { formatTable } from '../format-table.ts';

export function registerRunners(program: Command): void {
  program
    .command('runners')
    .description('list the runners and the guarantees each declares (starts the services BullMQ runners need)')
    .action(async () => {
      const hub = createServiceHub();
      try {
        const rows: string[][] = [['runner', 'durable', 'delivery', 'result', 'retries', 'isolation', 'scope', 'submit options']];
        for (const id of runnerIds) {
          const traits = await traitsOf(id, hub);
          rows.push(
            'unavailable' in traits
              ? [id, `not available: ${traits.unavailable}`]
              : [id, String(traits.durable), traits.delivery, String(traits.result), String(traits.retries), traits.isolation, traits.scope, traits.options.join(' ') || '-'],
          );
        }
        process.stdout.write(formatTable(rows));
      } finally {
        await hub.stop();
      }
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

async function traitsOf(id: RunnerId, hub: ServiceHub): Promise<RunnerTraits | { unavailable: string }> {
  try {
    const runner = await createRunner(id, await serviceOptions(id, hub));
    await runner.stop({ drain: false });
    return runner.traits;
  } catch (error) {
    if (error instanceof NeedAQueueError) return { unavailable: error.message.replace(/\n\s*/g, ' ') };
    throw error;
  }
}
