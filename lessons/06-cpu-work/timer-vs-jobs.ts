// Lesson 06's examples: CPU-bound jobs on the event loop hold up a timer that is already due;
// the same jobs on the worker pool do not. And a CPU-bound job can be stopped only where it
// runs in a thread that can be terminated.
// Run: node --import tsx lessons/06-cpu-work/timer-vs-jobs.ts

import type { RunnerId } from '../../src/contract.ts';
import { createRunner } from '../../src/runners/registry.ts';

export type Say = (line: string) => void;

// #region timer
/** Sets a timer due in 1 ms, submits `jobs` cpu jobs, and says how many had finished when it fired. */
export async function timerBehindJobs(say: Say, runnerId: RunnerId, jobs: number, ms: number): Promise<void> {
  const runner = await createRunner(runnerId, { concurrency: jobs });
  let completed = 0;
  runner.onEvent((event) => {
    if (event.type === 'completed') completed++;
  });
  const timerFired = new Promise<number>((resolve) => setTimeout(() => resolve(completed), 1));
  const tickets = [];
  for (let i = 0; i < jobs; i++) tickets.push(await runner.submit('cpu', { ms }));
  say(`${runnerId}: the 1 ms timer fired after ${await timerFired} of ${jobs} cpu jobs had finished`);
  await Promise.all(tickets.map((ticket) => ticket.result()));
  await runner.stop();
}
// #endregion timer

export async function stopCpuJob(say: Say): Promise<void> {
  // #region timeout
  const pool = await createRunner('worker-pool');
  const ticket = await pool.submit('cpu', { ms: 60_000 }, { timeoutMs: 200 }); // a minute of CPU
  await ticket.result().catch((error: unknown) => {
    const cause = (error as Error).cause as Error;
    say(`worker-pool: the job failed with ${cause.name}: ${cause.message.split('\n')[0] ?? ''}`);
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
