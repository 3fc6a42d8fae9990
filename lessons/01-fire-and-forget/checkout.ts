// A checkout that records purchase metrics without waiting for
// them, as the seed's `spawn fn -> Metrics.Purchase.complete end`
// does. Two versions, chosen by argv[2]:
//
//   void   `void recordMetrics()`: a failure is unhandled
//   catch  the same call with a .catch that reports the failure
// Run: node --import tsx lessons/01-fire-and-forget/checkout.ts void

import { setTimeout as sleep } from 'node:timers/promises';

// #region work
/** Pretend metrics call: the service refuses one order. */
async function recordMetrics(orderId: string): Promise<void> {
  await sleep(10);
  if (orderId === 'order-2') {
    throw new Error(`metrics service refused ${orderId}`);
  }
}

/** The work a customer cares about: it takes longer. */
async function sendReceipt(orderId: string): Promise<void> {
  await sleep(200);
  console.log(`receipt sent for ${orderId}`);
}
// #endregion work

const mode = process.argv[2];

if (mode === 'void') {
  // #region void
  for (const orderId of ['order-1', 'order-2', 'order-3']) {
    void recordMetrics(orderId); // fire and forget: nobody handles it
    void sendReceipt(orderId);
    console.log(`checkout done for ${orderId}`);
  }
  // #endregion void
} else if (mode === 'catch') {
  // #region catch
  for (const orderId of ['order-1', 'order-2', 'order-3']) {
    recordMetrics(orderId).catch((error: unknown) => {
      console.log(`metrics failed: ${(error as Error).message}`);
    });
    void sendReceipt(orderId);
    console.log(`checkout done for ${orderId}`);
  }
  // #endregion catch
} else {
  console.error('usage: checkout.ts void|catch');
  process.exit(2);
}
