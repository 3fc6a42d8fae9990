// `need-a-queue run` as a user meets it: what it says about a job that kills its process, what
// it says about a stop that left something behind (and that it says nothing when nothing was),
// and that a slow private store is announced before the wait for it.

import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { cli } from '../../testing/cli.ts';
import { testDatabaseUrl } from '../../testing/services.ts';

describe('need-a-queue run', () => {
  it('`crash` on task: the stack, labelled, then one line saying the process died and took the job in flight', async () => {
    const run = await cli(['run', 'crash', '--runner', 'task']);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/started +attempt 1/);
    const label = run.stderr.indexOf("uncaught exception (thrown outside the job's promise");
    const stack = run.stderr.indexOf('Error: crash: uncaught exception thrown by the `crash` job\n    at ');
    const lesson = run.stderr.indexOf('task: that ended this process: task keeps jobs in this process\'s memory, so every job in flight (1 job here) died with it.');
    expect(label, run.stderr).toBeGreaterThanOrEqual(0);
    expect(stack).toBeGreaterThan(label);
    expect(lesson).toBeGreaterThan(stack);
    expect(run.stderr.trimEnd().split('\n').at(-1)).toBe(run.stderr.slice(lesson).trimEnd());
  });

  it('`crash` on worker-pool costs the thread, not the process: no such line, and the job fails', async () => {
    const run = await cli(['run', 'crash', '--runner', 'worker-pool']);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/failed +attempt 1/);
    expect(run.stderr).not.toMatch(/ended this process/);
  });

  it('a finished job ends with its result and no stop report; a job left running is named and its fate said', async () => {
    const done = await cli(['run', 'sleep', '{"ms":5}', '--runner', 'task']);
    expect(done.code, done.stderr).toBe(0);
    expect(done.stdout.trimEnd().split('\n').at(-1)).toBe('result: {"slept":5}');

    const hung = await cli(['run', 'hang', '--runner', 'task', '--wait', '300']);
    expect(hung.code).toBe(1);
    expect(hung.stdout).toMatch(/result: .*did not finish within 300 ms/);
    expect(hung.stdout).toContain("stopped with 1 job(s) still running: lost: task keeps jobs in this process's memory");
  });

  it('bullmq-postgres without DATABASE_URL says it is starting embedded PostgreSQL before it waits for it', async () => {
    const lines: string[] = [];
    const run = await cli(['run', 'noop', '--runner', 'bullmq-postgres'], (stdout) => lines.splice(0, lines.length, ...stdout.split('\n')), 120_000, { DATABASE_URL: '' });
    expect(run.code, run.stderr).toBe(0);
    expect(lines[0]).toBe('no DATABASE_URL: starting an embedded PostgreSQL for bullmq-postgres, which takes several seconds (set DATABASE_URL to use yours)');
    expect(lines[1]).toBe('bullmq-postgres: submitting noop null');
  }, 150_000);

  it('bullmq-postgres with DATABASE_URL starts nothing, and says nothing about it', async () => {
    const run = await cli(['run', 'noop', '--runner', 'bullmq-postgres'], undefined, 60_000, { DATABASE_URL: testDatabaseUrl() });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.split('\n')[0]).toBe('bullmq-postgres: submitting noop null');
  });

  it('its private Redis killed under a running job: the stop says the store did not answer, and the command still ends', async () => {
    let killed = false;
    const run = await cli(['run', 'sleep', '{"ms":3000}', '--runner', 'bullmq-redis', '--wait', '1000'], (stdout, pid) => {
      if (killed || !/started +attempt 1/.test(stdout)) return;
      killed = true;
      // The private redis-server is this process's child (pgrep exits 1 if there is none).
      const redis = execFileSync('pgrep', ['-P', String(pid), 'redis-server'], { encoding: 'utf8' }).trim().split('\n').map(Number);
      for (const child of redis) process.kill(child, 'SIGKILL');
    }, 40_000, { REDIS_URL: '' });
    expect(killed).toBe(true);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/stopped, but could not count the jobs it left stored: its store did not answer/);
  }, 60_000);
});
