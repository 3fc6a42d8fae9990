// Every runner the kit ships, by its descriptor. Bench, lab, CLI and the conformance suite
// find runners only through here, so adding a runner is one folder (with a descriptor.ts)
// and one line in `descriptors` below; the conformance suite then runs against it.
// Descriptors are static: reading one starts nothing and loads no runner code (no BullMQ,
// no pg); `createRunner` loads the runner's code on first use.

import type { Runner, RunnerDescriptor, RunnerOptions, ServiceName } from '../contract.ts';
import { UnknownRunnerError } from '../errors.ts';
import { postgresDescriptor as bullmqPostgres, redisDescriptor as bullmqRedis } from './bullmq/descriptor.ts';
import { descriptor as fireAndForget } from './fire-and-forget/descriptor.ts';
import { descriptor as genserver } from './genserver/descriptor.ts';
import { descriptor as stage } from './stage/descriptor.ts';
import { descriptor as task } from './task/descriptor.ts';
import { descriptor as workerPool } from './worker-pool/descriptor.ts';

/** In the order the kit presents them: in-process first, then external. */
export const descriptors = [fireAndForget, task, genserver, stage, workerPool, bullmqRedis, bullmqPostgres] as const;

export type RunnerId = (typeof descriptors)[number]['id'];

/** Every runner id, in the order the kit presents them. */
export const runnerIds: readonly RunnerId[] = descriptors.map((d) => d.id);

const byId = new Map<string, RunnerDescriptor<RunnerId>>(descriptors.map((d) => [d.id, d]));

export function isRunnerId(id: unknown): id is RunnerId {
  return typeof id === 'string' && byId.has(id);
}

/** The runner's descriptor; UnknownRunnerError for a name that is not a runner. */
export function describeRunner(id: string): RunnerDescriptor<RunnerId> {
  const found = byId.get(id);
  if (found === undefined) throw new UnknownRunnerError(id, runnerIds);
  return found;
}

export async function createRunner(id: string, options: RunnerOptions = {}): Promise<Runner> {
  const factory = await describeRunner(id).load();
  return factory(options);
}

/** Which services a runner needs, so callers start only those (none for an unknown id). */
export function servicesFor(id: string): readonly ServiceName[] {
  return byId.get(id)?.services ?? [];
}
