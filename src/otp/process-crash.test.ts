// What ends a Node process, proved in child processes: the reason isolation exists.

import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const child = fileURLToPath(new URL('./fixtures/child.ts', import.meta.url));

function run(mode: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', child, mode], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    proc.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    proc.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`child ${mode} did not exit within 20 s:\n${output}`));
    }, 20_000);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe('what ends a Node process (child processes)', () => {
  it('an un-awaited rejected promise ends the process with exit code 1', async () => {
    const { code, output } = await run('unhandled');
    expect(code, output).toBe(1);
    expect(output).toContain('nobody awaited this');
    expect(output).not.toContain('survived');
  });

  it('the same rejection with a handler is reported and the process lives', async () => {
    const { code, output } = await run('handled');
    expect(code, output).toBe(0);
    expect(output).toContain('reported: handled failure');
    expect(output).toContain('survived');
  });

  it('a job failing on the kit\'s fire-and-forget runner is reported to onError and the process lives', async () => {
    const { code, output } = await run('fire-and-forget');
    expect(code, output).toBe(0);
    expect(output).toContain('reported: planned failure 1 of 1');
    expect(output).toContain('survived');
  });

  it('a `crash` job (uncaught exception) in an in-process server ends the whole process', async () => {
    const { code, output } = await run('crash-in-process');
    expect(code, output).not.toBe(0);
    expect(output).toContain('crash: uncaught exception');
    expect(output).not.toContain('survived');
  });

  it('the same `crash` job in a thread-hosted server ends only that thread', async () => {
    const { code, output } = await run('crash-in-thread');
    expect(code, output).toBe(0);
    expect(output).toContain('call ended with "ServerCrashedError"');
    expect(output).toContain('survived');
  });
});
