// The lab's side of child.ts: spawn the process under test, ask it things, kill it.
//
// How it works: one JSON line per command on the child's stdin, answers read line by line
// from its stdout, in order. Every wait has a deadline (TimeoutError). Every child is tracked
// until it exits, so killLabChildren() can SIGKILL whatever is left when a case fails or the
// user presses Ctrl-C; each child is also in its own process group and dies with its stdin.

import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Json } from '../../src/contract.ts';
import { TimeoutError } from '../../src/errors.ts';
import type { LabCommand } from './child.ts';

const CHILD_FILE = fileURLToPath(new URL('./child.ts', import.meta.url));
const live = new Set<ChildProcess>();

export type Answer = Readonly<Record<string, Json>>;

export interface LabChild {
  readonly pid: number;
  /** Sends one command; resolves with its answer, rejects on `{error}`, a dead child or the deadline. */
  ask(command: LabCommand, timeoutMs?: number): Promise<Answer>;
  kill(signal: 'SIGKILL' | 'SIGTERM'): void;
  /** Resolves with the exit code, or the signal's name, once the process has exited. */
  readonly exited: Promise<number | string>;
  /** Whether it has exited. */
  dead(): boolean;
  /** Answers that arrived without a command (after SIGTERM: `{ok: 'stopped', ...}`). */
  readonly unasked: Answer[];
  /** What it wrote to stderr (for error messages). */
  stderr(): string;
}

/** Starts child.ts and waits until it says it is ready. */
export async function startLabChild(env: Readonly<Record<string, string>> = {}, timeoutMs = 30_000): Promise<LabChild> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD_FILE], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  live.add(child);
  let err = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err = (err + chunk).slice(-4000)));
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => {
      live.delete(child);
      resolve(code ?? signal ?? 'unknown');
    }),
  );
  let dead = false;
  void exited.then(() => (dead = true));
  const waiting: { resolve: (a: Answer) => void; reject: (e: Error) => void }[] = [];
  const unasked: Answer[] = [];
  let buffer = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    buffer += chunk;
    let newline: number;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      let parsed: Answer;
      try {
        parsed = JSON.parse(line) as Answer;
      } catch {
        continue; // a runner's own stray output; not an answer
      }
      const next = waiting.shift();
      if (next === undefined) unasked.push(parsed);
      else if (typeof parsed.error === 'string') next.reject(new Error(`lab child: ${parsed.error}`));
      else next.resolve(parsed);
    }
  });
  child.stdin.on('error', () => undefined); // writing to a child that just died
  void exited.then((how) => {
    for (const w of waiting.splice(0)) w.reject(new Error(`lab child exited (${String(how)}) before answering; stderr: ${err.slice(-600)}`));
  });
  const expect = (timeout: number, what: string): Promise<Answer> =>
    new Promise<Answer>((resolve, reject) => {
      if (dead) return reject(new Error(`lab child already exited; stderr: ${err.slice(-600)}`));
      const timer = setTimeout(() => reject(new TimeoutError(`lab child to answer ${what}`, timeout)), timeout);
      waiting.push({ resolve: (a) => (clearTimeout(timer), resolve(a)), reject: (e) => (clearTimeout(timer), reject(e)) });
    });
  const handle: LabChild = {
    pid: child.pid ?? 0,
    ask(command, timeout = 30_000) {
      const answer = expect(timeout, command.op);
      child.stdin.write(`${JSON.stringify(command)}\n`);
      return answer;
    },
    kill(signal) {
      if (!dead) child.kill(signal);
    },
    exited,
    dead: () => dead,
    unasked,
    stderr: () => err,
  };
  try {
    await expect(timeoutMs, 'ready');
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return handle;
}

/** SIGKILLs every lab child still running and waits for them to go. */
export async function killLabChildren(): Promise<void> {
  const waits = [...live].map((child) => new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  }));
  await Promise.all(waits);
}

/** How many lab children are alive (tests check it is 0 after a lab). */
export function liveLabChildren(): number {
  return live.size;
}
