// How many finished jobs the kit leaves in the store, per backend.

import type { BullmqBackendKind } from './backend.ts';

/** BullMQ's `removeOnComplete` / `removeOnFail` shape, as far as the kit uses it. */
export interface KeepJobs {
  readonly count?: number;
  readonly age?: number;
}

/**
 * How many finished jobs stay stored: enough for result() to read a job another process ran,
 * without Redis or PostgreSQL growing without bound. The bound differs per backend because
 * trimming does:
 * - Redis: the last 10 000. Trimming by count costs one ZREVRANGE and one job removal per
 *   finished job once the cap is reached, and keeps Redis memory bounded.
 * - PostgreSQL: the last 10 minutes. BullMQ's PostgreSQL backend trims by count with
 *   `DELETE … WHERE id NOT IN (SELECT … ORDER BY finished_at_ms DESC LIMIT count)` inside
 *   every finishing transaction, which reads every retained row: measured (EXPLAIN ANALYZE,
 *   PostgreSQL 17) 6 ms per finished job with 1 000 retained, 51 ms with 10 000. That alone
 *   held the runner near 80 jobs/s. Trimming by age is a range delete on BullMQ's
 *   (queue, state, finished_at_ms) index: 0.04 ms. Rows are disk, not memory, so a time bound
 *   is enough.
 */
export function keepFinished(kind: BullmqBackendKind): KeepJobs {
  return kind === 'redis' ? { count: 10_000 } : { age: 600 };
}
