// Runs a lesson's example script in its own Node process, as a reader would run it, so a test can
// check what a whole process does (exit code, what it printed, what it never got to print).
// Every process started here is tracked: killScripts() in afterEach ends whatever is left.

import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { TimeoutError } from '../../src/errors.ts';

export interface ScriptRun {
  readonly child: ChildProcess;
  /** What the script has written to stdout so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code, or the signal's name; rejects after `timeoutMs`. */
  exited(timeoutMs: number): Promise<number | string>;
  /** Resolves once stdout contains `text`; rejects after `timeoutMs`. */
  printed(text: string, timeoutMs: number): Promise<void>;
}

const running = new Set<ChildProcess>();

/** Starts `node --import tsx <script> ...args`; `script` is a URL, e.g. new URL('./x.ts', import.meta.url). */
export function runScript(script: URL, args: readonly string[] = []): ScriptRun {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(script), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exit = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => {
      running.delete(child);
      resolve(code ?? signal ?? 'unknown');
    }),
  );
  const name = fileURLToPath(script).split('/').slice(-2).join('/');
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited: (timeoutMs) => withDeadline(exit, timeoutMs, `${name} to exit`),
    printed: (text, timeoutMs) =>
      withDeadline(
        new Promise<void>((resolve) => {
          const check = () => {
            if (!out.includes(text)) return;
            child.stdout.off('data', check);
            resolve();
          };
          child.stdout.on('data', check);
          check();
        }),
        timeoutMs,
        `${name} to print ${JSON.stringify(text)}`,
      ),
  };
}

/** SIGKILLs every script still running: call it in afterEach. */
export function killScripts(): void {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}

/** The first line of stderr that names an error (`Error: ...`), without the stack or Node's banner. */
export function errorLine(stderr: string): string {
  return stderr.split('\n').find((line) => /^\w*Error\b.*:/.test(line)) ?? '(no error line)';
}

function withDeadline<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new TimeoutError(what, timeoutMs)), timeoutMs)));
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}
