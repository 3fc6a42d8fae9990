// Test helpers that watch a runner's lifecycle events, always with a deadline: a runner that
// never emits must fail a test, not hang it.

import type { LifecycleEvent, LifecycleType, Runner } from '../../contract.ts';
import { TimeoutError } from '../../errors.ts';

export interface EventLog {
  readonly events: LifecycleEvent[];
  count(type: LifecycleType, jobId?: string): number;
  /** Resolves when `count(type, jobId)` reaches `n`; rejects with TimeoutError after `timeoutMs`. */
  waitFor(type: LifecycleType, n: number, options?: { jobId?: string; timeoutMs?: number }): Promise<void>;
  close(): void;
}

export function recordEvents(runner: Runner): EventLog {
  const events: LifecycleEvent[] = [];
  const waiters = new Set<() => void>();
  const unsubscribe = runner.onEvent((event) => {
    events.push(event);
    for (const check of waiters) check();
  });
  const count = (type: LifecycleType, jobId?: string) =>
    events.filter((e) => e.type === type && (jobId === undefined || e.jobId === jobId)).length;
  return {
    events,
    count,
    waitFor(type, n, { jobId, timeoutMs = 10_000 } = {}) {
      return new Promise<void>((resolve, reject) => {
        const check = () => {
          if (count(type, jobId) < n) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new TimeoutError(`waiting for ${n} \`${type}\` event(s) (saw ${count(type, jobId)})`, timeoutMs));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close: unsubscribe,
  };
}
