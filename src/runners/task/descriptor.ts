import type { RunnerDescriptor } from '../../contract.ts';

export const descriptor: RunnerDescriptor<'task'> = {
  id: 'task',
  summary: 'each job a Task under a TaskSupervisor: bounded concurrency, a result, a timeout',
  traits: { durable: false, delivery: 'at-most-once', result: true, retries: false, isolation: 'none', scope: 'process', options: ['timeoutMs'] },
  services: [],
  options: ['concurrency', 'maxQueue'],
  concurrency: 64,
  tuning: [],
  load: async () => (await import('./task-runner.ts')).createTaskRunner,
};
