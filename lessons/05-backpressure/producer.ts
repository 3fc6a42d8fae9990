// Lesson 05's example: one fast producer, the same loop, on two
// runners. The task runner's line has no bound, so the producer
// finishes at once and the jobs wait in memory; the stage runner's
// buffer is bounded, so each submit waits for room and the producer
// runs at the consumers' pace.
// Run: node --import tsx lessons/05-backpressure/producer.ts

import type { Runner } from '../../src/contract.ts';
import { createRunner } from '../../src/runners/registry.ts';

export type Say = (line: string) => void;

// #region produce
/** Submits slow jobs as fast as the runner accepts them. */
async function produce(runner: Runner, jobs: number): Promise<string> {
  let waiting = 0; // accepted, not yet started
  let most = 0;
  runner.onEvent((event) => {
    if (event.type === 'accepted') most = Math.max(most, ++waiting);
    if (event.type === 'started') waiting--;
  });
  for (let i = 0; i < jobs; i++) {
    await runner.submit('sleep', { ms: 1 }); // a row to upload
  }
  return `at most ${most} of ${jobs} jobs waiting in memory`;
}
// #endregion produce

export async function compare(say: Say, jobs = 1000): Promise<void> {
  // #region compare
  const unbounded = await createRunner('task', { concurrency: 4 });
  say(`task runner:  ${await produce(unbounded, jobs)}`);
  await unbounded.stop({ drain: false });

  const bounded = await createRunner('stage', {
    concurrency: 4,
    tuning: { bufferSize: 16 },
  });
  say(`stage runner: ${await produce(bounded, jobs)}`);
  await bounded.stop({ drain: true });
  // #endregion compare
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
  await compare((line) => console.log(line));
}
