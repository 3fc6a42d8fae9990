import { availableParallelism } from 'node:os';
import type { RunnerDescriptor } from '../../contract.ts';

export const descriptor: RunnerDescriptor<'worker-pool'> = {
  id: 'worker-pool',
  summary: 'a piscina pool of worker threads: CPU work off the event loop, a crash takes one thread',
  traits: { durable: false, delivery: 'at-most-once', result: true, retries: false, isolation: 'thread', scope: 'process', options: ['timeoutMs'] },
  services: [],
  options: ['concurrency', 'maxQueue'],
  // One thread per core: more threads than cores only take turns.
  concurrency: availableParallelism(),
  tuning: [],
  load: async () => (await import('./worker-pool-runner.ts')).createWorkerPoolRunner,
};
