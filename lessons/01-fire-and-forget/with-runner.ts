// The same checkout on the kit's fire-and-forget runner: the
// metrics job fails, onError hears it, and the receipts still go
// out. Catalogue jobs stand in for the work: `fail` (throws on its
// first attempt) for the metrics call, `sleep` for the receipt.
// Run: node --import tsx lessons/01-fire-and-forget/with-runner.ts

import { createRunner } from '../../src/runners/registry.ts';

// #region runner
const runner = await createRunner('fire-and-forget', {
  onError: (error, event) => {
    console.log(`${event?.job ?? 'background'} job failed: ${error.message}`);
  },
});
runner.onEvent((event) => {
  if (event.type === 'completed') {
    console.log(`${event.job} job completed`);
  }
});

await runner.submit('fail', { times: 1 }); // the failing metrics call
for (let i = 0; i < 3; i++) {
  await runner.submit('sleep', { ms: 200 }); // the receipts
}
console.log('checkout done: 4 jobs accepted, none awaited');
// #endregion runner

const report = await runner.stop({ drain: true, timeoutMs: 10_000 });
const { finished, abandoned } = report;
console.log(`stopped: ${finished} finished, ${abandoned} abandoned`);
