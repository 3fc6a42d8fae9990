// `need-a-queue submit` as a user meets it: every mistake in its input is exit 2 with a fix,
// before any store is reached (the tests point it at a closed port to prove that); a missing or
// stopped store is exit 1 within the check's deadline; and it feeds a `need-a-queue worker`
// started in "another shell", on Redis and on PostgreSQL, with the very command the worker
// prints.

import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { cli, startCli, type RunningCli } from '../../testing/cli.ts';

/** A shell line's words, quotes removed, as a shell would pass them. */
function words(line: string): string[] {
  return (line.match(/'[^']*'|\S+/g) ?? []).map((word) => word.replace(/^'(.*)'$/, '$1'));
}

/** A Redis nobody listens on: reaching for it would be exit 1, not the exit 2 expected. */
const CLOSED = { REDIS_URL: 'redis://127.0.0.1:1', DATABASE_URL: 'postgres://127.0.0.1:1/none' };

describe('need-a-queue submit: bad input', () => {
  it.each([
    ['an unknown job', ['submit', 'email'], /Unknown job `"email"`[\s\S]*fix: use one of: noop, sleep/],
    ['data that is not JSON', ['submit', 'sleep', '{ms:1}'], /Bad data for job `sleep`: not JSON: \{ms:1\}[\s\S]*fix: pass the data as JSON/],
    ['data the job does not take', ['submit', 'sleep', '{"ms":-1}'], /Bad data for job `sleep`: `ms` is `-1`[\s\S]*fix: pass \{ "ms": an integer/],
    ['an absurd --count', ['submit', 'noop', '--count', '1e9'], /Expected `--count` to be an integer from 1 to 100000, got `"1e9"`[\s\S]*fix: /],
    ['a --count of zero', ['submit', 'noop', '--count', '0'], /Expected `--count` to be an integer from 1 to 100000/],
    ['an unknown runner', ['submit', 'noop', '--runner', 'sidekiq'], /Unknown runner `"sidekiq"`[\s\S]*fix: use one of: fire-and-forget/],
    ['an in-process runner, which has no queue to feed', ['submit', 'noop', '--runner', 'task'], /Runner `task` keeps its jobs in the memory of the process that submits them, so `submit` has no queue another process can read\n {2}fix: use --runner bullmq-redis or bullmq-postgres; to run a job on `task` in this process, `need-a-queue run <job> --runner task`/],
    ['an option out of range', ['submit', 'noop', '--attempts', '0'], /Expected `attempts` to be an integer from 1 to 1000/],
    ['a --wait that is not a number', ['submit', 'noop', '--wait', 'soon'], /Expected `--wait` to be a number/],
  ])('%s: exit 2 with the fix, no stack, and no store reached', async (_name, args, expected) => {
    const run = await cli(args, undefined, 30_000, CLOSED);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toMatch(expected);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('need-a-queue submit: the store', () => {
  it('no URL at all: exit 1 naming --redis-url and where to get it', async () => {
    const run = await cli(['submit', 'noop'], undefined, 30_000, { REDIS_URL: '' });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/No Redis to submit to: pass --redis-url \(or set REDIS_URL\)\n {2}fix: use the URL `need-a-queue worker --queue need-a-queue` prints when it starts/);
  });

  it('a stopped store: exit 1 within the check\'s deadline, pointing at the worker', async () => {
    const started = Date.now();
    const run = await cli(['submit', 'noop', '--redis-url', 'redis://127.0.0.1:1'], undefined, 30_000);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/Cannot use Redis at REDIS_URL=redis:\/\/127\.0\.0\.1:1: .*ECONNREFUSED[\s\S]*fix: check that the worker \(`need-a-queue worker --queue need-a-queue`\) and its Redis are still running/);
    // The check's own deadline is 5 s; this bounds the whole command, start-up included.
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});

describe('need-a-queue submit feeds a worker in another shell', () => {
  let worker: RunningCli | undefined;
  afterEach(async () => {
    await worker?.stop();
    worker = undefined;
  });

  it.each<{ runner: string; env: Record<string, string> }>([
    { runner: 'bullmq-redis', env: { REDIS_URL: '' } },
    { runner: 'bullmq-postgres', env: { DATABASE_URL: '' } },
  ])('$runner: with no URL configured, the worker starts its own store and the command it prints feeds it', async ({ runner, env }) => {
    worker = startCli(['worker', '--runner', runner, '--queue', 'feed-test', '--progress'], env);
    const printed = await worker.waitFor(/feed it from another shell: npx need-a-queue (.+)\n/, 90_000);
    await worker.waitFor(/^ready \d+$/m, 60_000);
    // The printed command as a user would paste it, with --wait to see the results here.
    const args = words(printed[1] ?? '');
    expect(args.slice(0, 3)).toEqual(['submit', 'sleep', '{"ms":100}']);
    const fed = await cli([...args, '--wait', '30000'], undefined, 60_000, env);
    expect(fed.code, fed.stdout + fed.stderr).toBe(0);
    expect(fed.stdout).toMatch(/^stored 10 × sleep \{"ms":100\} in queue `feed-test`/);
    expect(fed.stdout).toContain('results: 10 completed, 0 failed, 0 not finished within 30000 ms');
    await worker.waitFor(/progress completed=10 /, 10_000);

    // A job that fails for good is reported as such, with exit 1.
    const once = args.join('\n').replace('sleep\n{"ms":100}\n--count\n10', 'fail\n{"times":1}').split('\n');
    const failing = await cli([...once, '--wait', '30000'], undefined, 60_000, env);
    expect(failing.code).toBe(1);
    expect(failing.stdout).toMatch(/results: 0 completed, 1 failed, 0 not finished[\s\S]*first failure: Job `fail` \(\S+\) failed after 1 attempt\(s\): planned failure 1 of 1/);

    const stopped = await worker.stop();
    expect(stopped.code, stopped.stderr).toBe(0);
    // A private redis-server has a process group of its own and outlives the Ctrl-C; embedded
    // PostgreSQL gets it too, and may shut down before the drain, which the worker then says.
    expect(stopped.stdout).toMatch(runner === 'bullmq-redis' ? /stopped finished=\d+ abandoned=0 stored=0 completed=10/ : /^stopped(:| finished=)/m);
  }, 180_000);

  it('Ctrl-C lets the job in flight run on; a second Ctrl-C quits at once (exit 130), saying where the job is', async () => {
    worker = startCli(['worker', '--queue', 'ctrl-c', '--progress'], { REDIS_URL: '' });
    const [, url = ''] = await worker.waitFor(/started a private redis-server at (redis:\/\/\S+);/);
    await worker.waitFor(/^ready \d+$/m);
    expect((await cli(['submit', 'hang', '--queue', 'ctrl-c', '--redis-url', url])).code).toBe(0);
    await worker.waitFor(/running=1\n/, 20_000);
    const running = worker.stdout().length;
    const stopped = worker.stop('SIGINT');
    await worker.waitFor(/worker: stopping: jobs in flight may finish \(up to 30 s\), waiting jobs stay stored; Ctrl-C again to quit now\n/);
    expect(worker.stdout().slice(running)).not.toMatch(/^stopped/m);
    await worker.stop('SIGINT');
    const run = await stopped;
    expect(run.code).toBe(130);
    expect(run.stderr).toContain('worker: quitting now; jobs in flight stay active in the store, and a worker on this queue takes them once their lock expires');
  }, 60_000);

  it('with no worker on the queue, --wait is bounded and says the jobs stay stored', async () => {
    worker = startCli(['worker', '--queue', 'busy-elsewhere'], { REDIS_URL: '' });
    const [, url] = await worker.waitFor(/started a private redis-server at (redis:\/\/\S+);/);
    const run = await cli(['submit', 'noop', '--count', '3', '--queue', 'nobody-reads-this', '--redis-url', url ?? '', '--wait', '1500'], undefined, 30_000);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('results: 0 completed, 0 failed, 3 not finished within 1500 ms');
    expect(run.stdout).toContain('unfinished jobs stay stored; is a `need-a-queue worker` running on this queue, with the same URL and namespace?');
  }, 60_000);
});

describe("the README's two shells", () => {
  let worker: RunningCli | undefined;
  afterEach(async () => {
    await worker?.stop();
    worker = undefined;
  });

  it('run as written: shell 1 prints the very command shell 2 shows, and that command feeds it', async () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    const block = /```sh\n# shell 1: .*\n(npx need-a-queue worker .*)\n# shell 2: .*\n(npx need-a-queue submit .*)\n```/.exec(readme);
    expect(block, 'README has the two-shell block').not.toBeNull();
    const [, shell1 = '', shell2 = ''] = block ?? [];
    worker = startCli(words(shell1).slice(2), { REDIS_URL: '' });
    const [, printed = ''] = await worker.waitFor(/feed it from another shell: (npx need-a-queue .+)\n/, 60_000);
    const port = /redis:\/\/127\.0\.0\.1:(\d+)/.exec(printed)?.[1] ?? '';
    // Shell 2 is what shell 1 printed, with the port left to the reader, plus --wait.
    expect(shell2).toBe(`${printed.replace(`:${port}`, ':<port>')} --wait`);
    await worker.waitFor(/^ready \d+$/m);
    const fed = await cli(words(shell2.replace('<port>', port)).slice(2), undefined, 60_000, { REDIS_URL: '' });
    expect(fed.code, fed.stdout + fed.stderr).toBe(0);
    expect(fed.stdout).toContain('results: 10 completed, 0 failed, 0 not finished within 30000 ms');
  }, 120_000);
});
