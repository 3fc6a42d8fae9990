// Who each subject is compared with: the library a Node developer would pick instead of it,
// measured in the same run. The in-process runners against p-queue (which runs the same
// catalogue job), worker-pool against piscina, the BullMQ runners against BullMQ without the
// kit. The peers themselves stand on floors, each the next simpler layer, so every layer's own
// cost has a ratio: p-queue against p-queue running bare functions (the catalogue's cost), that
// against bare promises in a five-line loop (p-queue's cost). promise-raw is the last floor.
//
// A ratio is subject ÷ peer of two medians from one results file, with its direction: jobs/s
// (higher is better) at the same concurrency, and heap per pending job (lower is better) where
// both sides accepted every job. print, compare and the README excerpt all take it from here.

import type { BenchResults, SummarizedMeasurement } from './results.ts';
import { UNBOUNDED_NOTE } from './subjects.ts';

const PEERS: Readonly<Record<string, string>> = {
  'fire-and-forget': 'p-queue',
  task: 'p-queue',
  genserver: 'p-queue',
  stage: 'p-queue',
  'worker-pool': 'piscina',
  'bullmq-redis': 'bullmq-raw-redis',
  'bullmq-postgres': 'bullmq-raw-postgres',
  'p-queue': 'p-queue-bare',
  'p-queue-bare': 'promise-raw',
};

/** The subject a figure of `subject` is divided by; undefined for a floor or an unknown subject. */
export function peerFor(subject: string): string | undefined {
  return Object.hasOwn(PEERS, subject) ? PEERS[subject] : undefined;
}

/**
 * `ids` reordered so each peer comes right after the last subject compared with it (and its own
 * floor right after it): the throughput scenario samples in this order, so a runner's samples
 * and its peer's are taken minutes apart at most, never with another family's drains between.
 * Everything else keeps its place.
 */
export function besidePeers(ids: readonly string[]): string[] {
  const present = new Set(ids);
  const out: string[] = [];
  const placed = new Set<string>();
  const comparedWith = (peer: string) => ids.filter((id) => peerFor(id) === peer);
  const place = (id: string): void => {
    placed.add(id);
    out.push(id);
    const peer = peerFor(id);
    if (peer !== undefined && present.has(peer) && !placed.has(peer) && comparedWith(peer).every((x) => placed.has(x))) place(peer);
  };
  for (const id of ids) {
    if (placed.has(id)) continue;
    // A peer waits for the last subject compared with it, which places it.
    if (comparedWith(id).some((x) => !placed.has(x))) continue;
    place(id);
  }
  return out;
}

/** One figure divided by its peer's, from the same run. */
export interface PeerRatio {
  readonly peer: string;
  readonly ratio: number;
  readonly better: 'higher' | 'lower';
  /** `jobs/s` or `heap per pending job`: what was divided. */
  readonly of: string;
  /** Either side's repeats disagree past the noisy rule. */
  readonly noisy: boolean;
}

const notesOf = (m: SummarizedMeasurement): Readonly<Record<string, unknown>> =>
  m.notes !== null && typeof m.notes === 'object' && !Array.isArray(m.notes) ? m.notes : {};

/** Heap growth per pending job, when every submitted job was accepted (a runner that held its producer back has no such figure). */
function heapPerJob(m: SummarizedMeasurement): number | undefined {
  const { jobs, accepted } = notesOf(m);
  return typeof jobs === 'number' && typeof accepted === 'number' && accepted > 0 && accepted >= jobs ? m.median / accepted : undefined;
}

/**
 * `m` ÷ its peer's figure of the same scenario, case and metric in `results`; undefined when
 * the figure has no peer ratio: no peer, the peer not measured, a runner with no concurrency
 * limit (held to nothing, against a peer held to the others' limit), or memory a runner held
 * back instead of accepting.
 */
export function peerRatio(results: BenchResults, m: SummarizedMeasurement): PeerRatio | undefined {
  const peer = peerFor(m.subject);
  if (peer === undefined) return undefined;
  const base = results.measurements.find((b) => b.scenario === m.scenario && b.subject === peer && b.case === m.case && b.metric === m.metric);
  if (base === undefined) return undefined;
  const noisy = m.noisy || base.noisy;
  if (m.scenario === 'throughput' && m.metric === 'jobs/s') {
    if (notesOf(m).note === UNBOUNDED_NOTE || base.median <= 0) return undefined;
    return { peer, ratio: m.median / base.median, better: 'higher', of: 'jobs/s', noisy };
  }
  if (m.scenario === 'memory' && m.metric === 'heap growth') {
    const mine = heapPerJob(m);
    const theirs = heapPerJob(base);
    if (mine === undefined || theirs === undefined || theirs <= 0) return undefined;
    return { peer, ratio: mine / theirs, better: 'lower', of: 'heap per pending job', noisy };
  }
  return undefined;
}

/** `0.95× p-queue, higher is better: 5% slower`: the ratio, which way is better, and what it means. */
export function describeRatio(r: PeerRatio): string {
  const [above, below] = r.better === 'higher' ? ['faster', 'slower'] : ['more', 'less'];
  const percent = Math.abs(Math.round((r.ratio - 1) * 100));
  const meaning = percent === 0 ? 'the same' : `${percent}% ${r.ratio > 1 ? above : below}`;
  return `${r.ratio.toFixed(2)}× ${r.peer}, ${r.better} is better: ${meaning}`;
}
