// Lesson 02's examples: a Task's handle (await with a timeout,
// cancel), and a TaskSupervisor bounding how many run at once. Each
// function reports through `say`, so the test can check and
// snapshot it.
// Run: node --import tsx lessons/02-task/tasks.ts

import { setTimeout as sleep } from 'node:timers/promises';
import { Task } from '../../src/otp/task.ts';
import { TaskSupervisor } from '../../src/otp/task-supervisor.ts';

export type Say = (line: string) => void;

/** A kit error's name and first line, without its `fix:` line. */
function firstLine(error: unknown): string {
  const { name, message } = error as Error;
  return `${name}: ${message.split('\n')[0] ?? ''}`;
}

/** Work that would take a minute, unless its signal aborts. */
const aMinute = (signal: AbortSignal) => sleep(60_000, 'never', { signal });

export async function awaitAndTimeout(say: Say): Promise<void> {
  // #region await
  const report = Task.start(async () => {
    await sleep(20);
    return 'report ready';
  });
  say(await report.await(5000)); // Elixir: Task.await(task, 5000)
  // #endregion await

  // #region timeout
  const slow = Task.start(aMinute, { name: 'slow export' });
  try {
    await slow.await(50);
  } catch (error) {
    say(firstLine(error));
  }
  say(`the work's signal aborted: ${slow.signal.aborted}`);
  // #endregion timeout
}

export async function cancelAndYield(say: Say): Promise<void> {
  // #region cancel
  const search = Task.start(aMinute, { name: 'search' });
  // Elixir: Task.yield(task, 10)
  say(`after 10 ms: ${(await search.yield(10)).status}`);
  // Elixir: Task.shutdown(task)
  search.cancel('the user typed another letter');
  await search.await().catch((error: unknown) => say(firstLine(error)));
  // #endregion cancel
}

export async function failureNobodyAwaits(say: Say): Promise<void> {
  // #region unawaited
  const doomed = Task.start(() => Promise.reject(new Error('disk full')));
  await sleep(20); // nobody awaits `doomed`, and the process carries on
  say(`outcome: ${doomed.outcome.status}`);
  // #endregion unawaited
}

export async function bounded(say: Say): Promise<void> {
  // #region bounded
  const supervisor = new TaskSupervisor({ concurrency: 3 });
  let running = 0;
  let most = 0;
  const resize = async (image: number) => {
    most = Math.max(most, ++running);
    await sleep(10);
    running--;
    return image;
  };
  const tasks = [];
  for (let image = 0; image < 10; image++) {
    tasks.push(await supervisor.start(() => resize(image)));
  }
  const done = await Promise.all(tasks.map((task) => task.await()));
  say(`${done.length} tasks done, at most ${most} running at once`);
  // #endregion bounded
}

export async function lineFull(say: Say): Promise<void> {
  // #region line-full
  const supervisor = new TaskSupervisor({ concurrency: 2, maxQueue: 2 });
  const controller = new AbortController();
  const { signal } = controller;
  for (let i = 0; i < 4; i++) await supervisor.start(aMinute, { signal });
  say(`running ${supervisor.running}, waiting ${supervisor.waiting}`);
  try {
    await supervisor.start(aMinute);
  } catch (error) {
    say(firstLine(error));
  }
  // #endregion line-full
  controller.abort();
  await supervisor.idle();
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
  const say = (line: string) => console.log(line);
  await awaitAndTimeout(say);
  await cancelAndYield(say);
  await failureNobodyAwaits(say);
  await bounded(say);
  await lineFull(say);
}
