// Proves lesson 06: cpu jobs on the event loop hold up a timer that is due until they have all
// run; on the worker pool the timer fires before any finishes; and a CPU-bound job on the pool
// is stopped by its timeout (the thread running it is terminated).

import { describe, expect, it } from 'vitest';
import { describeRunner } from '../src/runners/registry.ts';
import { stopCpuJob, timerBehindJobs } from './06-cpu-work/timer-vs-jobs.ts';
import { reference } from './support/reference.ts';

function collect(): { lines: string[]; say: (line: string) => void } {
  const lines: string[] = [];
  return { lines, say: (line) => lines.push(line) };
}

describe('lesson 06: CPU work and the event loop', () => {
  it('on the task runner (the event loop) a 1 ms timer fires only after every cpu job has run', async () => {
    const { lines, say } = collect();
    await timerBehindJobs(say, 'task', 4, 50);
    expect(lines).toEqual(['task: the 1 ms timer fired after 4 of 4 jobs']);
    await expect(`${lines.join('\n')}\n`).toMatchFileSnapshot('./outputs/06-timer-task.txt');
  });

  it('on the worker pool the same timer fires before any cpu job has finished', async () => {
    const { lines, say } = collect();
    await timerBehindJobs(say, 'worker-pool', 4, 300);
    expect(lines).toEqual(['worker-pool: the 1 ms timer fired after 0 of 4 jobs']);
    await expect(`${lines.join('\n')}\n`).toMatchFileSnapshot('./outputs/06-timer-pool.txt');
  });

  it('a minute-long cpu job on the worker pool ends at its timeout: the thread is terminated, not waited for', async () => {
    const { lines, say } = collect();
    await stopCpuJob(say); // the test's own 30 s timeout is the bound: the job would spin for 60 s
    expect(lines).toEqual(['worker-pool: the job failed with TimeoutError:\n  job `cpu` did not finish within 200 ms']);
    await expect(`${lines.join('\n')}\n`).toMatchFileSnapshot('./outputs/06-timeout.txt');
  });

  describe('"Will our API slow down?", held to the reference run the page shows', () => {
    const web = reference('web-server');
    const p99 = (subject: string, kase: string): number => {
      const m = web.get(`web-server · ${subject} · ${kase} · request p99`);
      if (m === undefined) throw new Error(`the reference has no web-server request p99 for ${subject} ${kase}`);
      return m.median;
    };

    it('cpu jobs on the event loop hold requests up: every runner that runs jobs on the server\'s loop answers its slowest requests later than the worker pool, and later than the idle server', () => {
      const onTheLoop = ['fire-and-forget', 'task', 'genserver', 'stage', 'bullmq-redis', 'bullmq-postgres'];
      for (const subject of onTheLoop) {
        expect(describeRunner(subject).traits.isolation, subject).toBe('none');
        expect(p99(subject, 'cpu 5ms'), subject).toBeGreaterThan(p99('worker-pool', 'cpu 5ms'));
        expect(p99(subject, 'cpu 5ms'), subject).toBeGreaterThan(p99('idle', 'no jobs'));
      }
      expect(describeRunner('worker-pool').traits.isolation).toBe('thread');
    });
  });
});

