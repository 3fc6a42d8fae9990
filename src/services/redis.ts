// How it works: write a redis.conf into a fresh temp dir (port, bind 127.0.0.1, the
// persistence the scenario asks for, a pidfile for the watchdog), spawn `redis-server` on it,
// and read its log on stdout until "Ready to accept connections" (or an early exit, or a
// deadline). The same conf is reused by start() after a kill, so a restarted server finds its
// AOF/RDB in the same dir on the same port: that is what the failure lab needs.
// Every server is registered with cleanup.ts and watched by watchdog.ts.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidOptionError, ServiceUnavailableError, messageOf } from '../errors.ts';
import { registerCleanup } from './cleanup.ts';
import { freePort } from './ports.ts';
import { startWatchdog } from './watchdog.ts';

export interface PrivateRedisOptions {
  /** AOF on or off. Default false. */
  readonly appendonly?: boolean;
  /** When AOF is on: fsync after every write, once a second, or leave it to the OS. */
  readonly appendfsync?: 'always' | 'everysec' | 'no';
  /** RDB snapshot rule, as in redis.conf (`"3600 1 300 100"`). Default '' = no snapshots. */
  readonly save?: string;
  /** e.g. '256mb'. Default: no limit. */
  readonly maxmemory?: string;
  /** Default 'noeviction': BullMQ's production advice (evicted job keys are lost jobs). */
  readonly maxmemoryPolicy?: string;
  /** The redis-server to run. Default: `redis-server` from PATH. */
  readonly binary?: string;
  /** Give up starting after this long. Default 10 000 ms. */
  readonly startTimeoutMs?: number;
}

export interface PrivateRedis {
  readonly url: string;
  readonly port: number;
  readonly dir: string;
  /** The running server's pid; undefined between kill() and start(). */
  readonly pid: number | undefined;
  /** e.g. '7.0.15'. */
  readonly version: string;
  /** Signals the server and waits until it has exited. */
  kill(signal: 'SIGKILL' | 'SIGTERM'): Promise<void>;
  /** Starts it again on the same port, dir and config (after kill()). */
  start(): Promise<void>;
  /** Stops the server and removes its dir. Idempotent. */
  stop(): Promise<void>;
}

const FSYNC = ['always', 'everysec', 'no'] as const;
const EXIT_WAIT_MS = 10_000;
const PORT_ATTEMPTS = 3;

class PortTakenError extends Error {}

export async function startPrivateRedis(options: PrivateRedisOptions = {}): Promise<PrivateRedis> {
  validate(options);
  const binary = options.binary ?? 'redis-server';
  const dir = mkdtempSync(join(tmpdir(), 'need-a-queue-redis-'));
  const pidfile = join(dir, 'redis.pid');
  const confPath = join(dir, 'redis.conf');
  const timeoutMs = options.startTimeoutMs ?? 10_000;

  let child: ChildProcess | undefined;
  let port = 0;
  let version = 'unknown';
  let stopped = false;
  // Both before the first launch, so a crash or SIGKILL during startup is covered too.
  const watchdog = startWatchdog(dir, pidfile, 'TERM');
  const unregister = registerCleanup({
    label: `redis-server in ${dir}`,
    killNow() {
      if (child?.pid !== undefined && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
      watchdog.dismiss();
    },
  });

  const launch = async (): Promise<void> => {
    const launched = await launchRedis(binary, confPath, timeoutMs);
    child = launched.child;
    version = launched.version;
  };

  try {
    // A free port can be taken between our probe and redis binding it: try a fresh one.
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      writeFileSync(confPath, renderConf(options, port, dir, pidfile));
      try {
        await launch();
        break;
      } catch (error) {
        if (!(error instanceof PortTakenError) || attempt === PORT_ATTEMPTS) throw error;
      }
    }
  } catch (error) {
    unregister();
    watchdog.dismiss();
    rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
    throw toServiceError(error, binary, port);
  }

  const kill = async (signal: 'SIGKILL' | 'SIGTERM'): Promise<void> => {
    const running = child;
    if (running === undefined || running.exitCode !== null || running.signalCode !== null) return;
    const exited = waitForExit(running, EXIT_WAIT_MS);
    running.kill(signal);
    await exited;
    // A stale pidfile could name someone else's process by the time the watchdog reads it.
    try {
      unlinkSync(pidfile);
    } catch {
      // redis removes it itself on a clean shutdown
    }
  };

  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    dir,
    get pid() {
      return child !== undefined && child.exitCode === null && child.signalCode === null ? child.pid : undefined;
    },
    get version() {
      return version;
    },
    kill,
    async start() {
      if (stopped) throw new ServiceUnavailableError('redis', `redis-server on port ${port} was stopped for good`, 'start a new one with startPrivateRedis()');
      if (child !== undefined && child.exitCode === null && child.signalCode === null) return;
      try {
        await launch();
      } catch (error) {
        throw toServiceError(error, binary, port);
      }
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      try {
        await kill('SIGTERM');
      } catch {
        await kill('SIGKILL');
      }
      unregister();
      watchdog.dismiss();
      rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
    },
  };
}

function validate(options: PrivateRedisOptions): void {
  if (options.appendfsync !== undefined && !FSYNC.includes(options.appendfsync)) {
    throw new InvalidOptionError('appendfsync', `one of ${FSYNC.join(', ')}`, options.appendfsync);
  }
  for (const key of ['save', 'maxmemory', 'maxmemoryPolicy'] as const) {
    const value = options[key];
    // These go into redis.conf verbatim: a newline would smuggle in another directive.
    if (value !== undefined && (typeof value !== 'string' || /[\r\n"]/.test(value))) {
      throw new InvalidOptionError(key, 'a single-line string without quotes', value);
    }
  }
}

function renderConf(options: PrivateRedisOptions, port: number, dir: string, pidfile: string): string {
  const lines = [
    `port ${port}`,
    'bind 127.0.0.1',
    'daemonize no',
    // Empty logfile = stdout, which we read for readiness and keep for error messages.
    'logfile ""',
    `dir ${JSON.stringify(dir)}`,
    `pidfile ${JSON.stringify(pidfile)}`,
    `appendonly ${options.appendonly === true ? 'yes' : 'no'}`,
    `save "${options.save ?? ''}"`,
    `maxmemory-policy ${options.maxmemoryPolicy ?? 'noeviction'}`,
  ];
  if (options.appendfsync !== undefined) lines.push(`appendfsync ${options.appendfsync}`);
  if (options.maxmemory !== undefined) lines.push(`maxmemory ${options.maxmemory}`);
  return `${lines.join('\n')}\n`;
}

async function launchRedis(binary: string, confPath: string, timeoutMs: number): Promise<{ child: ChildProcess; version: string }> {
  // detached: a process group of its own. A terminal's Ctrl-C signals the whole foreground
  // group, and the server must outlive our graceful stop (a worker finishing its jobs, a bench
  // finishing its step), not die beside it; our cleanup stops it, the watchdog if we are killed.
  const child = spawn(binary, [confPath], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const log: string[] = [];
  let version = 'unknown';
  let ready = false;
  let onReady = (): void => undefined;
  // Keep reading for the server's whole life: a full pipe would block redis on its next log line.
  const onData = (chunk: Buffer): void => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line.trim() === '') continue;
      log.push(line);
      if (log.length > 30) log.shift();
      const match = /Redis version=([\w.]+)/.exec(line) ?? /v=([\w.]+) sha=/.exec(line);
      if (match?.[1] !== undefined) version = match[1];
      if (!ready && line.includes('Ready to accept connections')) {
        ready = true;
        onReady();
      }
    }
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);

  await new Promise<void>((resolve, reject) => {
    const fail = (error: Error): void => {
      cleanup();
      child.kill('SIGKILL');
      reject(error);
    };
    const timer = setTimeout(() => fail(new Error(`not ready after ${timeoutMs} ms; last log lines:\n${log.join('\n')}`)), timeoutMs);
    onReady = () => {
      cleanup();
      resolve();
    };
    const onError = (error: Error): void => fail(error);
    const onExit = (code: number | null, signal: string | null): void => {
      // Give the last 'data' events a chance: the reason is usually in the final line.
      setImmediate(() => {
        const tail = log.join('\n');
        fail(/Address already in use/i.test(tail) ? new PortTakenError(tail) : new Error(`exited (code ${code}, signal ${signal}) before it was ready; last log lines:\n${tail}`));
      });
    };
    const cleanup = (): void => {
      clearTimeout(timer);
      child.off('error', onError);
      child.off('exit', onExit);
    };
    child.once('error', onError);
    child.once('exit', onExit);
  });

  // A server we forgot to stop must not keep the process alive: the exit hook kills it.
  child.unref();
  for (const stream of [child.stdout, child.stderr]) (stream as unknown as { unref?: () => void } | null)?.unref?.();
  return { child, version };
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`redis-server (pid ${child.pid}) did not exit within ${timeoutMs} ms`)), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

function toServiceError(error: unknown, binary: string, port: number): ServiceUnavailableError {
  if (error instanceof ServiceUnavailableError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') {
    return new ServiceUnavailableError('redis', `Cannot run \`${binary}\`: not found`, 'install Redis (Debian/Ubuntu: `sudo apt-get install redis-server`, macOS: `brew install redis`) or set REDIS_URL', { cause: error });
  }
  const message = messageOf(error);
  if (error instanceof PortTakenError) {
    return new ServiceUnavailableError('redis', `redis-server could not bind port ${port}: address already in use`, 'free the port (something else took it), or start a new server on another port', { cause: error });
  }
  return new ServiceUnavailableError('redis', `redis-server (\`${binary}\`) failed to start: ${message}`, 'read the log lines above; or set REDIS_URL to a Redis you run', { cause: error });
}
