// The command line as a user meets it, for tests: a real `node bin/need-a-queue.js` process,
// its exit code and what it prints. `cli` runs one to its end; `startCli` keeps one running
// (a worker) until the test stops it, as a second shell would.

import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/need-a-queue.js', import.meta.url));

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function spawnCli(args: readonly string[], env: Readonly<Record<string, string>>): ChildProcess {
  // detached: its own process group, so a signal can go to the group as a terminal sends it.
  return spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], detached: true, env: { ...process.env, CI: 'true', ...env } });
}

/** Runs the CLI; `onOutput` may act on the process (send it a signal) as lines arrive. */
export function cli(args: readonly string[], onOutput?: (stdout: string, pid: number) => void, timeoutMs = 60_000, env: Readonly<Record<string, string>> = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawnCli(args, env);
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => {
      process.kill(-(child.pid ?? 0), 'SIGKILL');
      reject(new Error(`CLI ${args.join(' ')} did not exit within ${timeoutMs} ms; stdout: ${stdout}; stderr: ${stderr}`));
    }, timeoutMs);
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      onOutput?.(stdout, child.pid ?? 0);
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export interface RunningCli {
  /** Everything printed so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves with the first stdout match of `pattern`, within `timeoutMs`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Sends `signal` to the process group, as Ctrl-C in a terminal does, and waits for the exit. */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<CliRun>;
}

/** Starts a long-running command (`worker`); stop it in the test or its afterEach. */
export function startCli(args: readonly string[], env: Readonly<Record<string, string>> = {}): RunningCli {
  const child = spawnCli(args, env);
  let stdout = '';
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const signalGroup = (signal: NodeJS.Signals): void => {
    try {
      process.kill(-(child.pid ?? 0), signal);
    } catch {
      // already gone
    }
  };
  return {
    stdout: () => stdout,
    stderr: () => stderr,
    waitFor: (pattern, timeoutMs = 60_000) =>
      new Promise((resolve, reject) => {
        const started = Date.now();
        const look = (): void => {
          const match = pattern.exec(stdout);
          if (match !== null) return resolve(match);
          if (child.exitCode !== null) return reject(new Error(`CLI ${args.join(' ')} exited (${child.exitCode}) before printing ${pattern}; stdout: ${stdout}; stderr: ${stderr}`));
          if (Date.now() - started > timeoutMs) return reject(new Error(`CLI ${args.join(' ')} printed no ${pattern} within ${timeoutMs} ms; stdout: ${stdout}; stderr: ${stderr}`));
          setTimeout(look, 50);
        };
        look();
      }),
    stop: async (signal = 'SIGINT', timeoutMs = 30_000) => {
      if (child.exitCode === null && child.signalCode === null) signalGroup(signal);
      const timer = setTimeout(() => signalGroup('SIGKILL'), timeoutMs);
      const code = await exited;
      clearTimeout(timer);
      return { code, stdout, stderr };
    },
  };
}
