// Runner ids to factories. Bench, lab and CLI create runners only through here, so adding a
// runner is one line below (and the conformance suite then runs against it).
// Imports are lazy: asking for `fire-and-forget` does not load BullMQ or pg.

import type { Runner, RunnerFactory, RunnerId, RunnerOptions } from '../contract.ts';
import { UnknownRunnerError } from '../errors.ts';

const factories: Partial<Record<RunnerId, () => Promise<RunnerFactory>>> = {
  'fire-and-forget': async () => (await import('./fire-and-forget/fire-and-forget-runner.ts')).createFireAndForgetRunner,
  task: async () => (await import('./task/task-runner.ts')).createTaskRunner,
  genserver: async () => (await import('./genserver/genserver-runner.ts')).createGenServerRunner,
  stage: async () => (await import('./stage/stage-runner.ts')).createStageRunner,
  'worker-pool': async () => (await import('./worker-pool/worker-pool-runner.ts')).createWorkerPoolRunner,
  'bullmq-redis': async () => (await import('./bullmq/bullmq-redis-runner.ts')).createBullmqRedisRunner,
  'bullmq-postgres': async () => (await import('./bullmq/bullmq-postgres-runner.ts')).createBullmqPostgresRunner,
};

/** Every runner id, in the order the kit presents them (in-process first, then external). */
export const runnerIds = Object.keys(factories) as RunnerId[];

export function isRunnerId(id: unknown): id is RunnerId {
  return typeof id === 'string' && Object.hasOwn(factories, id);
}

export async function createRunner(id: string, options: RunnerOptions = {}): Promise<Runner> {
  const load = isRunnerId(id) ? factories[id] : undefined;
  if (load === undefined) throw new UnknownRunnerError(id, runnerIds);
  const factory = await load();
  return factory(options);
}

/** Which services a runner needs, so callers start only those. */
export function servicesFor(id: string): readonly ('redis' | 'postgres')[] {
  if (id === 'bullmq-redis') return ['redis'];
  if (id === 'bullmq-postgres') return ['postgres'];
  return [];
}
