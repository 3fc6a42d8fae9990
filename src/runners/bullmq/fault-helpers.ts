// Test helpers for the BullMQ fault tests: an effect ledger outside the queue (an fsynced
// append-only file written by the worker, keyed by a payload uuid, never a BullMQ id) and
// worker processes spawned with `node --import tsx`, each tracked so a test can kill them all.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WORKER_PROCESS_FILE } from './worker-process.ts';

export interface Ledger {
  readonly path: string;
  /** uuid → how many times its effect was written. */
  counts(): Map<string, number>;
  remove(): void;
}

export function createLedger(): Ledger {
  const dir = mkdtempSync(join(tmpdir(), 'need-a-queue-ledger-'));
  const path = join(dir, 'effects.log');
  return {
    path,
    counts() {
      const counts = new Map<string, number>();
      let text = '';
      try {
        text = readFileSync(path, 'utf8');
      } catch {
        return counts;
      }
      for (const line of text.split('\n')) {
        const uuid = line.split(' ')[0];
        if (uuid !== undefined && uuid !== '') counts.set(uuid, (counts.get(uuid) ?? 0) + 1);
      }
      return counts;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** lost = accepted uuids with no effect; duplicated = uuids with more than one. */
export function tally(accepted: readonly string[], counts: Map<string, number>): { done: number; lost: number; duplicated: number } {
  let done = 0;
  let lost = 0;
  let duplicated = 0;
  for (const uuid of accepted) {
    const n = counts.get(uuid) ?? 0;
    if (n === 0) lost++;
    else done++;
    if (n > 1) duplicated++;
  }
  return { done, lost, duplicated };
}

export interface SpawnedWorker {
  readonly child: ChildProcess;
  readonly ready: Promise<void>;
  readonly output: string[];
  readonly exited: Promise<number | null>;
}

const live = new Set<ChildProcess>();

/** A `need-a-queue worker` process (worker-process.ts) with `args`; see spawnScript. */
export function spawnWorker(args: readonly string[]): SpawnedWorker {
  return spawnScript(WORKER_PROCESS_FILE, args);
}

/** SIGKILLs every worker still alive: call it in afterEach. */
export async function killAllWorkers(): Promise<void> {
  const waits = [...live].map((child) => new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  }));
  await Promise.all(waits);
}

/**
 * Like spawnWorker, for any TypeScript entry file (`node --import tsx FILE ...args`) that
 * prints `ready <pid>` once it is up; tracked, so killAllWorkers SIGKILLs it too.
 */
export function spawnScript(file: string, args: readonly string[]): SpawnedWorker {
  const child = spawn(process.execPath, ['--import', 'tsx', file, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  const output: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => (live.delete(child), resolve(code))));
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      output.push(...chunk.split('\n').filter((l) => l !== ''));
      if (output.some((l) => l.startsWith('ready '))) resolve();
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => output.push(`stderr: ${chunk}`));
    void exited.then((code) => reject(new Error(`${file} exited (${String(code)}) before ready: ${output.join('\n')}`)));
  });
  ready.catch(() => undefined);
  return { child, ready, output, exited };
}
