// Lesson 06's examples: CPU-bound jobs on the event loop hold up a
// timer that is already due; the same jobs on the worker pool do
// not. And a CPU-bound job can be stopped only where it runs in a
// thread that can be terminated.
// Run: node --import tsx lessons/06-cpu-work/timer-vs-jobs.ts

import type { RunnerId } from '../../src/contract.ts';
import { createRunner } from '../../src/runners/registry.ts';

export type Say = (line: string) => void;

// #region timer
/** Sets a 1 ms timer, submits cpu jobs, counts those done in time. */
export async function timerBehindJobs(
  say: Say,
  runnerId: RunnerId,
  jobs: number,
  ms: number,
): Promise<void> {
  const runner = await createRunner(runnerId, { concurrency: jobs });
  let completed = 0;
  runner.onEvent((event) => {
    if (event.type === 'completed') completed++;
  });
  const timerFired = new Promise<number>((resolve) => {
    setTimeout(() => resolve(completed), 1);
  });
  const tickets = [];
  for (let i = 0; i < jobs; i++) {
    tickets.push(await runner.submit('cpu', { ms }));
  }
  const done = await timerFired;
  const name = runnerId;
  say(`${name}: the 1 ms timer fired after ${done} of ${jobs} jobs`);
  await Promise.all(tickets.map((ticket) => ticket.result()));
  await runner.stop();
}
// #endregion timer

export async function stopCpuJob(say: Say): Promise<void> {
  // #region timeout
  const pool = await createRunner('worker-pool');
  const aMinute = { ms: 60_000 };
  const ticket = await pool.submit('cpu', aMinute, { timeoutMs: 200 });
  await ticket.result().catch((error: unknown) => {
    const cause = (error as Error).cause as Error;
    const reason = cause.message.split('\n')[0] ?? '';
    say(`worker-pool: the job failed with ${cause.name}:\n  ${reason}`);
  });
  // #endregion timeout
  await pool.stop({ drain: false });
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
  const say = (line: string) => console.log(line);
  await timerBehindJobs(say, 'task', 4, 50);
  await timerBehindJobs(say, 'worker-pool', 4, 300);
  await stopCpuJob(say);
}
