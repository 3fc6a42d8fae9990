// What compare and stability check before they put two runs' figures side by side: a figure
// is evidence about its machine, profile and job count, and a quick run on a busy laptop
// "regresses" 100 figures against a full run on a quiet server without anything having
// changed. So: what differs between the runs (listed before any figure), whether they are
// like for like, which figures were measured with different job counts, and the ratios each
// file measured within itself (kit ÷ peer, speed-ups), which do travel between machines.

import type { BenchResults, Environment, SummarizedMeasurement } from './results.ts';
import { peerRatio } from './peers.ts';

/** One way two runs differ: `what` and the value in each run. */
export interface Difference {
  readonly what: string;
  readonly values: readonly string[];
  /** Makes absolute figures incomparable (a different machine or profile), not just worth knowing. */
  readonly breaksLikeForLike: boolean;
}

const gib = (bytes: number) => `${(bytes / 2 ** 30).toFixed(1)} GiB`;

/** What of the environment is compared, and whether a difference in it breaks like for like. */
const ASPECTS: readonly { readonly what: string; readonly of: (e: Environment) => string; readonly breaks: boolean }[] = [
  { what: 'profile', of: (e) => e.profile, breaks: true },
  { what: 'CPU', of: (e) => e.cpuModel, breaks: true },
  { what: 'cores', of: (e) => String(e.cores), breaks: true },
  { what: 'memory', of: (e) => gib(e.memoryBytes), breaks: false },
  { what: 'Node', of: (e) => e.node, breaks: true },
  { what: 'OS', of: (e) => e.os, breaks: false },
  { what: 'Redis', of: (e) => e.redisVersion ?? '-', breaks: false },
  { what: 'PostgreSQL', of: (e) => e.postgresVersion ?? '-', breaks: false },
  { what: 'BullMQ', of: (e) => e.bullmqVersion, breaks: false },
  { what: 'p-queue', of: (e) => e.pQueueVersion ?? '-', breaks: false },
  { what: 'piscina', of: (e) => e.piscinaVersion ?? '-', breaks: false },
  { what: 'commit', of: (e) => e.gitCommit.slice(0, 10), breaks: false },
];

/** How the runs' environments differ, most decisive first. */
export function differences(runs: readonly BenchResults[]): Difference[] {
  const out: Difference[] = [];
  for (const aspect of ASPECTS) {
    const values = runs.map((r) => aspect.of(r.environment));
    if (new Set(values).size > 1) out.push({ what: aspect.what, values, breaksLikeForLike: aspect.breaks });
  }
  return out;
}

export function likeForLike(runs: readonly BenchResults[]): boolean {
  return differences(runs).every((d) => !d.breaksLikeForLike);
}

/** `profile quick → full; cores 2 → 8`: the differences on one line. */
export function formatDifferences(diffs: readonly Difference[]): string {
  return diffs.map((d) => `${d.what} ${d.values.join(' → ')}`).join('; ');
}

const jobsOf = (m: SummarizedMeasurement): number | undefined => {
  const notes = m.notes;
  return notes !== null && typeof notes === 'object' && !Array.isArray(notes) && typeof notes.jobs === 'number' ? notes.jobs : undefined;
};

/** True when the figures were measured with different job counts (a lag from 60 jobs against one from 400). */
export function jobCountsDiffer(ms: readonly SummarizedMeasurement[]): boolean {
  // Throughput sizes its drains from the machine's speed: N is a means there, not the workload.
  if (ms.some((m) => m.scenario === 'throughput')) return false;
  return new Set(ms.map(jobsOf)).size > 1;
}

/** `latency 300, scale-out 27`: how many of `keys` each scenario has, for a folded list. */
export function countByScenario(keys: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const key of keys) {
    const scenario = key.split(' · ')[0] ?? key;
    counts.set(scenario, (counts.get(scenario) ?? 0) + 1);
  }
  return [...counts].map(([scenario, n]) => `${scenario} ${n}`).join(', ');
}

/**
 * The ratios a file measured within itself, as figures: a subject's throughput and heap per
 * pending job ÷ its peer's in the same run (peers.ts), scale-out's speed-up over one process,
 * micro's kit ÷ raw time.
 * Measured side by side on one machine, they can be compared across machines and profiles.
 */
export function withinFileRatios(results: BenchResults): SummarizedMeasurement[] {
  const out: SummarizedMeasurement[] = [];
  const ratioFigure = (m: SummarizedMeasurement, metric: string, value: number, better: 'higher' | 'lower'): SummarizedMeasurement => ({
    ...m,
    metric,
    unit: '×',
    better,
    samples: [value],
    median: value,
    min: value,
    max: value,
    spread: 0,
  });
  for (const m of results.measurements) {
    const notes = m.notes !== null && typeof m.notes === 'object' && !Array.isArray(m.notes) ? m.notes : {};
    if (typeof notes.speedupVsOne === 'number') out.push(ratioFigure(m, 'speed-up over 1 process', notes.speedupVsOne, 'higher'));
    else if (typeof notes.ratioToRaw === 'number') out.push(ratioFigure(m, `time ÷ ${typeof notes.baselineOf === 'string' ? notes.baselineOf : 'raw'}`, notes.ratioToRaw, 'lower'));
    else {
      const peer = peerRatio(results, m);
      if (peer !== undefined) out.push({ ...ratioFigure(m, `${peer.of} ÷ ${peer.peer}`, peer.ratio, peer.better), noisy: peer.noisy });
    }
  }
  return out;
}

