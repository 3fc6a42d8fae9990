import type { RunnerDescriptor } from '../../contract.ts';

export const descriptor: RunnerDescriptor<'genserver'> = {
  id: 'genserver',
  summary: 'jobs cast to GenServers, one at a time per server, in mailbox order',
  traits: { durable: false, delivery: 'at-most-once', result: true, retries: false, isolation: 'none', scope: 'process', options: ['timeoutMs'] },
  services: [],
  options: ['concurrency', 'maxQueue', 'queue'],
  concurrency: 1,
  tuning: [],
  load: async () => (await import('./genserver-runner.ts')).createGenServerRunner,
};
