// Test helpers for the BullMQ fault tests: worker processes spawned with `node --import tsx`,
// each tracked so a test can kill them all, and one teardown for what each test leaves. The
// effects they count are in src/ledger.

import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach } from 'vitest';
import type { Runner } from '../../contract.ts';
import { createLedger, type Ledger } from '../../ledger/ledger.ts';
import { WORKER_PROCESS_FILE } from './worker-process.ts';

export interface FaultTestScope {
  /** Stops `runner` (without draining) after the test; returns it. */
  track<T extends Runner>(runner: T): T;
  /** A fresh ledger, removed after the test. */
  ledger(): Ledger;
}

/**
 * Registers, in the calling describe, the afterEach every BullMQ fault test needs: worker
 * processes killed, runners stopped without draining, ledgers removed.
 */
export function faultTestScope(): FaultTestScope {
  const runners: Runner[] = [];
  const ledgers: Ledger[] = [];
  afterEach(async () => {
    await killAllWorkers();
    await Promise.all(runners.splice(0).map((r) => r.stop({ drain: false }).catch(() => undefined)));
    for (const l of ledgers.splice(0)) l.remove();
  });
  return {
    track(runner) {
      runners.push(runner);
      return runner;
    },
    ledger() {
      const l = createLedger();
      ledgers.push(l);
      return l;
    },
  };
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
