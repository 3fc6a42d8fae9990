import type { RunnerDescriptor } from '../../contract.ts';

export const descriptor: RunnerDescriptor<'stage'> = {
  id: 'stage',
  summary: 'a bounded, demand-driven line to N consumers (GenStage): a full line slows the producer',
  traits: { durable: false, delivery: 'at-most-once', result: false, retries: false, isolation: 'none', scope: 'process', options: [] },
  services: [],
  options: ['concurrency', 'tuning'],
  concurrency: 4,
  tuning: ['bufferSize'],
  load: async () => (await import('./stage-runner.ts')).createStageRunner,
};
