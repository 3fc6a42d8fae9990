import type { RunnerDescriptor } from '../../contract.ts';

export const descriptor: RunnerDescriptor<'fire-and-forget'> = {
  id: 'fire-and-forget',
  summary: 'start the job and do not wait: `void doWork()`',
  traits: { durable: false, delivery: 'at-most-once', result: false, retries: false, isolation: 'none', scope: 'process', options: [] },
  services: [],
  options: [],
  tuning: [],
  load: async () => (await import('./fire-and-forget-runner.ts')).createFireAndForgetRunner,
};
