// The pure half of the web-server scenario: what the load generator thread sends back, and
// how one measuring window's requests become figures. A request counts when its intended send
// time falls inside the window (while the jobs ran), and its latency runs from that intended
// time to its answer, so a request held up behind a blocked event loop is charged the wait.
// A request never answered counts as answered when the generator gave up: counted, not dropped.

import { latencySummary, type LatencySummary } from '../drive.ts';

/** One request: when it was meant to go out, and when its answer ended (absent: none came). */
export interface RequestRecord {
  readonly intended: number;
  done?: number;
}

export type LoadMessage = { readonly type: 'start'; readonly url: string; readonly ratePerSecond: number } | { readonly type: 'stop'; readonly graceMs: number };

export interface LoadRecords {
  readonly type: 'records';
  readonly records: readonly RequestRecord[];
  /** When the generator stopped waiting for answers. */
  readonly gaveUpAt: number;
}

export interface WindowFigures {
  /** Requests meant to go out inside the window. */
  readonly requests: number;
  /** Of those, requests with no answer before the generator gave up. */
  readonly unanswered: number;
  readonly latency: LatencySummary;
}

/** The requests meant to go out in [from, to], as latency from their intended time, in ms. */
export function windowFigures(load: Pick<LoadRecords, 'records' | 'gaveUpAt'>, from: number, to: number): WindowFigures {
  const inside = load.records.filter((r) => r.intended >= from && r.intended <= to);
  const unanswered = inside.filter((r) => r.done === undefined).length;
  return { requests: inside.length, unanswered, latency: latencySummary(inside.map((r) => (r.done ?? load.gaveUpAt) - r.intended)) };
}
