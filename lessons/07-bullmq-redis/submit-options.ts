// The submit options of lesson 07 as a caller writes them against the kit's BullMQ runner
// (`createRunner('bullmq-redis', { redisUrl })`). Each is one BullMQ job option, named in the
// comment beside it; the runner passes it through (src/runners/bullmq).

import type { Runner, Ticket } from '../../src/contract.ts';

export function retryFlakyCall(queue: Runner): Promise<Ticket> {
  // #region retries
  // `fail` throws on its first two attempts. BullMQ:
  // { attempts: 3, backoff: { type: 'exponential', delay: 100 } }
  return queue.submit('fail', { times: 2 }, {
    attempts: 3,
    backoff: { type: 'exponential', delayMs: 100 },
  });
  // #endregion retries
}

export function sendInHalfASecond(queue: Runner): Promise<Ticket> {
  // #region delay
  // Stored now, run no sooner than 500 ms from now.
  // BullMQ: { delay: 500 }
  return queue.submit('sleep', { ms: 0 }, { delayMs: 500 });
  // #endregion delay
}

export async function chargeOnce(queue: Runner, orderId: string): Promise<[Ticket, Ticket]> {
  // #region idempotent
  // A double-clicked "Pay" button submits twice. BullMQ: { jobId }
  const id = `charge-${orderId}`;
  const first = await queue.submit('sleep', { ms: 0 }, { id });
  const second = await queue.submit('sleep', { ms: 0 }, { id });
  // #endregion idempotent
  return [first, second];
}

export async function bulkThenUrgent(queue: Runner): Promise<{ bulk: Ticket[]; urgent: Ticket }> {
  // #region priority
  // Lower runs first; 1 is the highest. BullMQ: { priority }
  const bulk: Ticket[] = [];
  for (let n = 0; n < 3; n++) {
    bulk.push(await queue.submit('sleep', { ms: 0 }, { priority: 10 }));
  }
  const urgent = await queue.submit('sleep', { ms: 0 }, { priority: 1 });
  // #endregion priority
  return { bulk, urgent };
}

export function callWithDeadline(queue: Runner): Promise<Ticket> {
  // #region timeout
  // `hang` never settles on its own.
  // BullMQ has no job timeout: `timeoutMs` is the kit's.
  return queue.submit('hang', null, { timeoutMs: 300 });
  // #endregion timeout
}
