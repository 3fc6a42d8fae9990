// Starts child.ts with a deadline, and kills it whatever happens to the test.

import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { RunnerOptions } from '../../contract.ts';
import { TimeoutError } from '../../errors.ts';

const childPath = fileURLToPath(new URL('./child.ts', import.meta.url));
const running = new Set<ChildProcess>();

export interface ChildRun {
  readonly child: ChildProcess;
  readonly output: () => string;
  /** Resolves with the exit code (or the signal's name); rejects after `timeoutMs`. */
  exited(timeoutMs: number): Promise<number | string>;
  /** Resolves once the child has printed `text`; rejects after `timeoutMs`. */
  printed(text: string, timeoutMs: number): Promise<void>;
}

export function spawnChild(mode: 'crash' | 'serve', id: string, options: RunnerOptions): ChildRun {
  const child = spawn(process.execPath, ['--import', 'tsx', childPath, mode, id], {
    env: { ...process.env, NAQ_CHILD_OPTIONS: JSON.stringify(options) },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  running.add(child);
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exit = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => {
    running.delete(child);
    resolve(code ?? signal ?? 'unknown');
  }));
  return {
    child,
    output: () => out,
    exited: (timeoutMs) => withDeadline(exit, timeoutMs, `child ${mode} ${id} to exit`),
    printed: (text, timeoutMs) =>
      withDeadline(
        new Promise<void>((resolve) => {
          const check = () => out.includes(text) && (child.stdout.off('data', check), resolve());
          child.stdout.on('data', check);
          check();
        }),
        timeoutMs,
        `child ${mode} ${id} to print ${JSON.stringify(text)}`,
      ),
  };
}

/** Kills every child still running: call it in afterEach. */
export function killChildren(): void {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}

function withDeadline<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new TimeoutError(what, timeoutMs)), timeoutMs)));
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}
