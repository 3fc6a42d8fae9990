// The command line as a user meets it: a real `node bin/need-a-queue.js` process, its exit code,
// what it prints, and what it leaves on disk.

import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../testing/cli.ts';
import { scratchDirs } from '../testing/scratch-dir.ts';
import { testDatabaseUrl } from '../testing/services.ts';

const scratch = scratchDirs('need-a-queue-cli-');

describe('need-a-queue CLI', () => {
  it('`runners` prints every runner\'s traits from its descriptor, reaching no store', async () => {
    // Stores that cannot be reached: a table made by opening runners would have no BullMQ traits.
    const run = await cli(['runners'], undefined, 60_000, { REDIS_URL: 'redis://127.0.0.1:1', DATABASE_URL: 'postgres://127.0.0.1:1/none' });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/bullmq-redis\s+true\s+at-least-once/);
    expect(run.stdout).toMatch(/bullmq-postgres\s+true\s+at-least-once/);
    expect(run.stdout).toMatch(/worker-pool\s+false\s+at-most-once\s+true\s+false\s+thread/);
  });

  it('an unknown runner exits 2 and lists the runners to use', async () => {
    const run = await cli(['bench', '--runners', 'sidekiq', '--out', join(scratch(), 'r.json')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/Unknown runner .*sidekiq[\s\S]*fix: use one of: fire-and-forget/);
  });

  it('an unknown profile exits 2 and names the profiles', async () => {
    const run = await cli(['bench', '--profile', 'huge']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/quick, full/);
  });

  it('a corrupt results file given to compare exits 2 and says how to get a fresh one', async () => {
    const dir = scratch();
    writeFileSync(join(dir, 'a.json'), '{"schemaVersion": 1, "environment": ');
    const run = await cli(['compare', join(dir, 'a.json'), join(dir, 'a.json')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/Results file .*a\.json: is not JSON[\s\S]*fix: run `need-a-queue bench`/);
  });

  it('Ctrl-C (SIGINT to the process group) during a bench writes what finished and exits 130', async () => {
    const out = join(scratch(), 'interrupted.json');
    let sent = false;
    const run = await cli(['bench', '--runners', 'task', '--scenarios', 'micro,event-loop', '--out', out], (stdout, pid) => {
      // Once the first scenario is under way, interrupt the whole group, as a terminal does.
      if (!sent && stdout.includes('micro otp-')) {
        sent = true;
        process.kill(-pid, 'SIGINT');
      }
    });
    expect(sent).toBe(true);
    expect(run.code).toBe(130);
    expect(run.stderr).toMatch(/stopping: finishing the current step/);
    expect(run.stdout).toMatch(/INTERRUPTED: only what finished is shown/);
    expect(existsSync(out)).toBe(true);
    const results = JSON.parse(readFileSync(out, 'utf8')) as { complete: boolean; scenarios: string[] };
    expect(results.complete).toBe(false);
  });
});

/** Every process under `pid`, children first found with pgrep, then theirs. */
function descendants(pid: number): number[] {
  let children: number[] = [];
  try {
    children = execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' }).split('\n').filter((l) => l !== '').map(Number);
  } catch {
    return []; // pgrep exits 1 when there are none
  }
  return children.flatMap((child) => [child, ...descendants(child)]);
}

/** The process's command name, or '' once it is gone. */
function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('need-a-queue lab', () => {
  it('an unknown fault exits 2 and names the faults there are', async () => {
    const run = await cli(['lab', '--faults', 'meteor', '--out', join(scratch(), 'r.json')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/Unknown fault `"meteor"`[\s\S]*fix: use one of: none, throw, crash, hang, hang-timeout, sigkill, sigterm, overload, redis-no-aof, redis-everysec, redis-always, postgres-immediate/);
  });

  it('a fault that does not apply to a runner is a "does not apply" cell, not a crash', async () => {
    const out = join(scratch(), 'na.json');
    const run = await cli(['lab', '--runners', 'task', '--faults', 'redis-always', '--out', out]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/task +n\/a: does not apply: task keeps jobs in its process's memory, not in Redis/);
    const results = JSON.parse(readFileSync(out, 'utf8')) as { skipped: { case?: string }[]; measurements: unknown[] };
    expect(results.skipped.map((s) => s.case)).toEqual(['redis-always']);
    expect(results.measurements).toEqual([]);
  });

  it('Ctrl-C mid-lab ends its child processes and servers, writes what finished (complete: false) and exits 130', async () => {
    const out = join(scratch(), 'lab-interrupted.json');
    let sent = false;
    let tree: number[] = [];
    const run = await cli(['lab', '--runners', 'bullmq-redis', '--faults', 'sigkill,redis-always', '--out', out], (stdout, pid) => {
      // In the second cell, once its own redis-server is up beside the kit's: the moment is
      // read off the process tree, not a fixed delay, which a loaded machine outran (the cell
      // was done before the signal, and the lab exited 0).
      if (!sent && stdout.includes('lab 2/2')) {
        sent = true;
        const deadline = Date.now() + 10_000;
        const poll = setInterval(() => {
          const now = descendants(pid);
          if (now.filter((child) => commandOf(child) === 'redis-server').length < 2 && Date.now() < deadline) return;
          clearInterval(poll);
          tree = now;
          process.kill(-pid, 'SIGINT');
        }, 25);
      }
    }, 120_000);
    expect(sent).toBe(true);
    expect(run.code).toBe(130);
    expect(tree.length).toBeGreaterThan(0);
    // Reaped a moment after the CLI exits (a zombie still answers kill 0); a live one never goes.
    await expect.poll(() => tree.filter(alive), { timeout: 5_000 }).toEqual([]);
    const results = JSON.parse(readFileSync(out, 'utf8')) as { complete: boolean; measurements: { case: string }[] };
    expect(results.complete).toBe(false);
    expect(new Set(results.measurements.map((m) => m.case))).toEqual(new Set(['sigkill']));
  }, 150_000);
  it('a worker asked to run an in-process runner exits 2: that runner has no queue to read', async () => {
    const run = await cli(['worker', '--runner', 'genserver'], undefined, 30_000, { REDIS_URL: 'redis://127.0.0.1:1' });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/Runner `genserver` keeps its jobs in the memory of the process that submits them, so `worker` has no queue another process can read\n {2}fix: use --runner bullmq-redis or bullmq-postgres/);
  });
  it('a worker pointed at a closed Redis port exits 1 with the fix instead of waiting forever', async () => {
    const run = await cli(['worker', '--runner', 'bullmq-redis', '--queue', 'q'], undefined, 30_000, { REDIS_URL: 'redis://127.0.0.1:1' });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/Cannot use Redis at REDIS_URL=redis:\/\/127\.0\.0\.1:1[\s\S]*fix: /);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it.each([
    ['worker', ['worker', '--runner', 'bullmq-postgres', '--queue', 'q']],
    ['run', ['run', 'noop', '--runner', 'bullmq-postgres']],
  ])('`%s` with a wrong PostgreSQL password in DATABASE_URL exits 1 with the server\'s answer and the fix, no stack', async (_name, args) => {
    const url = new URL(testDatabaseUrl());
    url.password = 'not-the-password';
    const run = await cli(args, undefined, 15_000, { DATABASE_URL: url.toString() });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/Cannot use PostgreSQL at DATABASE_URL=postgres:\/\/[^:]+:\*\*\*@.*password authentication failed/);
    expect(run.stderr).toMatch(/\n\s+fix: .*correct DATABASE_URL/);
    expect(run.stderr).not.toContain('not-the-password');
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
