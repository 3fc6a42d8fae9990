// A rate limit shared by every Worker on a queue: BullMQ keeps the window's count in the store
// (a Redis key), so two Workers, or twenty on other machines, stay under one limit together.
// Jobs over the limit wait; none fail.

import { Worker, type ConnectionOptions, type Job } from 'bullmq';

// #region limit
/** The partner's API allows at most `max` calls in `duration` ms. */
export const PARTNER_API_LIMIT = { max: 2, duration: 400 } as const;
// #endregion limit

export function startPartnerApiWorker(
  queue: string,
  connection: ConnectionOptions,
  prefix: string,
  callPartnerApi: (job: Job) => Promise<void>,
): Worker {
  // #region limiter
  return new Worker(queue, callPartnerApi, {
    connection,
    prefix,
    // How many run at once in this Worker:
    concurrency: 4,
    // How many start per window, counted across every Worker:
    limiter: PARTNER_API_LIMIT,
  });
  // #endregion limiter
}
