// Proves lesson 02: a Task's await times out and cancels, cancel reaches the work, a failure
// nobody awaits is no unhandled rejection, and a TaskSupervisor bounds concurrency and its line.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeRunner } from '../src/runners/registry.ts';
import { awaitAndTimeout, bounded, cancelAndYield, failureNobodyAwaits, lineFull } from './02-task/tasks.ts';
import { reference } from './support/reference.ts';

function collect(): { lines: string[]; say: (line: string) => void } {
  const lines: string[] = [];
  return { lines, say: (line) => lines.push(line) };
}

let unhandled = 0;
const countUnhandled = () => unhandled++;
beforeEach(() => {
  unhandled = 0;
  process.on('unhandledRejection', countUnhandled);
});
afterEach(() => {
  process.off('unhandledRejection', countUnhandled);
});

describe('lesson 02: Task', () => {
  it('await returns the value; await with a timeout rejects with TimeoutError and aborts the work\'s signal', async () => {
    const { lines, say } = collect();
    await awaitAndTimeout(say);
    expect(lines).toEqual(['report ready', 'TimeoutError: awaiting slow export did not finish within 50 ms', "the work's signal aborted: true"]);
    await expect(`${lines.join('\n')}\n`).toMatchFileSnapshot('./outputs/02-await.txt');
  });

  it('yield reports a task still running without cancelling it; cancel settles it as cancelled', async () => {
    const { lines, say } = collect();
    await cancelAndYield(say);
    expect(lines).toEqual(['after 10 ms: running', 'TaskCancelledError: search was cancelled']);
    await expect(`${lines.join('\n')}\n`).toMatchFileSnapshot('./outputs/02-cancel.txt');
  });

  it('a failed task nobody awaits is recorded in its handle, never an unhandled rejection', async () => {
    const { lines, say } = collect();
    await failureNobodyAwaits(say);
    await new Promise((resolve) => setImmediate(resolve)); // let Node report any unhandled rejection
    expect(lines).toEqual(['outcome: error']);
    expect(unhandled).toBe(0);
  });

  it('a TaskSupervisor runs at most `concurrency` tasks at once and finishes them all', async () => {
    const { lines, say } = collect();
    await bounded(say);
    expect(lines).toEqual(['10 tasks done, at most 3 running at once']);
    await expect(`${lines.join('\n')}\n`).toMatchFileSnapshot('./outputs/02-bounded.txt');
  });

  it('past `maxQueue` waiting, start rejects at once with QueueFullError', async () => {
    const { lines, say } = collect();
    await lineFull(say);
    expect(lines).toEqual(['running 2, waiting 2', "QueueFullError: the task supervisor's line is full (2 waiting)"]);
    await expect(`${lines.join('\n')}\n`).toMatchFileSnapshot('./outputs/02-line-full.txt');
  });

  describe('"What it costs" against p-queue, held to the reference run the page shows', () => {
    const throughput = reference('throughput');
    const jobsPerSecond = (subject: string, kase: string): number => {
      const m = throughput.get(`throughput · ${subject} · ${kase} · jobs/s`);
      if (m === undefined) throw new Error(`the reference has no throughput for ${subject} ${kase}`);
      return m.median;
    };

    it('the task runner gives a ticket with result() and bounds its line', () => {
      const { traits, options } = describeRunner('task');
      expect(traits.result).toBe(true);
      expect(options).toContain('maxQueue');
    });

    it('the task runner does not cost a tenth of p-queue\'s speed: at least 0.9× its rate on noop and on sleep 5ms jobs', () => {
      for (const kase of ['noop c=50', 'sleep 5ms c=50']) {
        expect(jobsPerSecond('task', kase) / jobsPerSecond('p-queue', kase), kase).toBeGreaterThanOrEqual(0.9);
      }
    });
  });
});
