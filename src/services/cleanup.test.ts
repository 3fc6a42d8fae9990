import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';

const CHILD = fileURLToPath(new URL('./cleanup-child.ts', import.meta.url));

interface Held {
  readonly pid: number;
  readonly dir: string;
  readonly port: number;
}

interface Ended {
  readonly held: Held;
  /** What the child printed after its first line. */
  readonly output: string[];
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** Runs cleanup-child.ts, waits for its server, optionally signals it, waits for its end. */
async function runChild(kind: 'redis' | 'postgres', ending: string, signal?: NodeJS.Signals): Promise<Ended> {
  // Except for SIGKILL, the watchdog is switched off: each test then proves its own path
  // (exit handler, signal handler, crash monitor), not the safety net behind them all.
  const env = { ...process.env, NEED_A_QUEUE_WATCHDOG: signal === 'SIGKILL' ? '1' : '0' };
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, kind, ending], { stdio: ['ignore', 'pipe', 'pipe'], env });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, sig) => resolve({ code, signal: sig })));
  const output: string[] = [];
  const lines = createInterface({ input: child.stdout });
  const firstLine = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    void exited.then(() => reject(new Error(`child ended before its server was up:\n${stderr}`)));
  });
  lines.on('line', (line) => output.push(line));
  const held = JSON.parse(firstLine) as Held;
  if (signal !== undefined) child.kill(signal);
  const end = await exited;
  return { held, output, ...end };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Polls, because the server's exit trails ours a little (and the watchdog polls each second). */
async function expectGone(held: Held, withinMs: number): Promise<void> {
  const until = Date.now() + withinMs;
  while ((alive(held.pid) || existsSync(held.dir)) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
  expect(alive(held.pid), `server pid ${held.pid} still alive`).toBe(false);
  expect(existsSync(held.dir), `${held.dir} still there`).toBe(false);
}

describe('a private redis-server does not outlive its process', () => {
  it('when the process ends by itself without calling stop()', async () => {
    const { held, code } = await runChild('redis', 'natural');
    expect(code).toBe(0);
    await expectGone(held, 3_000);
  });

  it('on process.exit()', async () => {
    const { held, code } = await runChild('redis', 'exit');
    expect(code).toBe(0);
    await expectGone(held, 3_000);
  });

  it('on SIGINT, and the process still dies of SIGINT', async () => {
    const { held, code, signal } = await runChild('redis', 'wait', 'SIGINT');
    expect(signal === 'SIGINT' || code === 130).toBe(true);
    await expectGone(held, 3_000);
  });

  it('on SIGTERM, and the process still dies of SIGTERM', async () => {
    const { held, code, signal } = await runChild('redis', 'wait', 'SIGTERM');
    expect(signal === 'SIGTERM' || code === 143).toBe(true);
    await expectGone(held, 3_000);
  });

  it('on SIGTERM handled by someone else: still up for their drain, gone after their exit', async () => {
    const { held, output, code } = await runChild('redis', 'drain', 'SIGTERM');
    expect(output).toEqual(['PONG']);
    expect(code).toBe(0);
    await expectGone(held, 3_000);
  });

  it('on an uncaught exception, which still ends the process with an error', async () => {
    const { held, code } = await runChild('redis', 'throw');
    expect(code).not.toBe(0);
    await expectGone(held, 3_000);
  });

  it('on an unhandled rejection', async () => {
    const { held, code } = await runChild('redis', 'reject');
    expect(code).not.toBe(0);
    await expectGone(held, 3_000);
  });

  it('on SIGKILL, through the watchdog', async () => {
    const { held, signal } = await runChild('redis', 'wait', 'SIGKILL');
    expect(signal).toBe('SIGKILL');
    // The watchdog polls once a second, then waits for redis to exit.
    await expectGone(held, 8_000);
  });
});

describe('embedded PostgreSQL does not outlive its process', () => {
  it('on process.exit()', async () => {
    const { held, code } = await runChild('postgres', 'exit');
    expect(code).toBe(0);
    await expectGone(held, 10_000);
  });

  it('on SIGTERM', async () => {
    const { held, code, signal } = await runChild('postgres', 'wait', 'SIGTERM');
    expect(signal === 'SIGTERM' || code === 143).toBe(true);
    await expectGone(held, 10_000);
  });

  it('on SIGKILL, through the watchdog', async () => {
    const { held, signal } = await runChild('postgres', 'wait', 'SIGKILL');
    expect(signal).toBe('SIGKILL');
    await expectGone(held, 15_000);
  });
});
