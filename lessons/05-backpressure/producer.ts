// Lesson 05's example: one fast producer, the same loop, on two runners. The task runner's line
// has no bound, so the producer finishes at once and the jobs wait in memory; the stage runner's
// buffer is bounded, so each submit waits for room and the producer runs at the consumers' pace.
// Run: node --import tsx lessons/05-backpressure/producer.ts

import type { Runner } from '../../src/contract.ts';
import { createRunner } from '../../src/runners/registry.ts';

export type Say = (line: string) => void;

// #region produce
/** Submits `jobs` slow jobs as fast as the runner accepts them; returns the most that waited at once. */
async function produce(runner: Runner, jobs: number): Promise<number> {
  let waiting = 0;
  let most = 0;
  runner.onEvent((event) => {
    if (event.type === 'accepted') most = Math.max(most, ++waiting);
    if (event.type === 'started') waiting--;
  });
  for (let i = 0; i < jobs; i++) await runner.submit('sleep', { ms: 1 }); // a row to upload
  return most;
}
// #endregion produce

export async function compare(say: Say, jobs = 1000): Promise<void> {
  // #region compare
  const unbounded = await createRunner('task', { concurrency: 4 });
  say(`task runner:  at most ${await produce(unbounded, jobs)} of ${jobs} jobs waiting in memory`);
  await unbounded.stop({ drain: false });

  const bounded = await createRunner('stage', { concurrency: 4, tuning: { bufferSize: 16 } });
  say(`stage runner: at most ${await produce(bounded, jobs)} of ${jobs} jobs waiting in memory`);
  await bounded.stop({ drain: true });
  // #endregion compare
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
  await compare((line) => console.log(line));
}
