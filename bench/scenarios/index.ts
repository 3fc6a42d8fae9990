// Scenario names to modules, loaded lazily. `quick` runs the default list; `scale-out`
// (several worker processes per BullMQ backend) is only in `full` and by name. `lab` (the
// failure lab, bench/lab/) is in both: its quick profile runs the cells that teach the most.

import type { Profile, Scenario } from '../types.ts';

const loaders: Record<string, () => Promise<Scenario>> = {
  throughput: async () => (await import('./throughput.ts')).throughput,
  latency: async () => (await import('./latency.ts')).latency,
  'event-loop': async () => (await import('./event-loop.ts')).eventLoop,
  'web-server': async () => (await import('./web-server.ts')).webServer,
  memory: async () => (await import('./memory.ts')).memory,
  micro: async () => (await import('./micro.ts')).micro,
  'scale-out': async () => (await import('./scale-out.ts')).scaleOut,
  lab: async () => (await import('../lab/lab.ts')).lab,
};

export const scenarioNames = Object.keys(loaders);

export function defaultScenarios(profile: Profile): string[] {
  return profile === 'full' ? scenarioNames : scenarioNames.filter((n) => n !== 'scale-out');
}

export function isScenarioName(name: string): boolean {
  return Object.hasOwn(loaders, name);
}

export async function loadScenario(name: string): Promise<Scenario> {
  const load = loaders[name];
  if (load === undefined) throw new Error(`unknown scenario ${name}`);
  return load();
}
