// Proves lesson 01: what `void promise` does to a process, what a handler changes, and what a
// SIGKILL takes with it. Each example runs in its own process, as a reader would run it.

import { afterEach, describe, expect, it } from 'vitest';
import { errorLine, killScripts, runScript } from './support/run-script.ts';

const checkout = new URL('./01-fire-and-forget/checkout.ts', import.meta.url);
const withRunner = new URL('./01-fire-and-forget/with-runner.ts', import.meta.url);
const killed = new URL('./01-fire-and-forget/killed.ts', import.meta.url);

const count = (text: string, line: string) => text.split('\n').filter((l) => l.startsWith(line)).length;

afterEach(killScripts);

describe('lesson 01: fire-and-forget', () => {
  it('`void promise` with no handler: the rejection ends the process with exit code 1, and no receipt is ever sent', async () => {
    const run = runScript(checkout, ['void']);
    const code = await run.exited(20_000);
    expect(code, run.stderr()).toBe(1);
    expect(count(run.stdout(), 'checkout done')).toBe(3);
    // The receipts were in flight (200 ms) when the metrics call failed (10 ms): they die with the process.
    expect(count(run.stdout(), 'receipt sent')).toBe(0);
    expect(errorLine(run.stderr())).toBe('Error: metrics service refused order-2');
    await expect(`${run.stdout()}[stderr] ${errorLine(run.stderr())}\n[exit code ${code}]\n`).toMatchFileSnapshot('./outputs/01-void-promise.txt');
  });

  it('the same call with a .catch: the failure is reported, the process lives and every receipt goes out', async () => {
    const run = runScript(checkout, ['catch']);
    const code = await run.exited(20_000);
    expect(code, run.stderr()).toBe(0);
    expect(count(run.stdout(), 'metrics failed: metrics service refused order-2')).toBe(1);
    expect(count(run.stdout(), 'receipt sent')).toBe(3);
    await expect(`${run.stdout()}[exit code ${code}]\n`).toMatchFileSnapshot('./outputs/01-catch.txt');
  });

  it('the kit\'s fire-and-forget runner sends the failure to onError: the other jobs complete', async () => {
    const run = runScript(withRunner);
    const code = await run.exited(20_000);
    expect(code, run.stderr()).toBe(0);
    expect(count(run.stdout(), 'fail job failed: planned failure 1 of 1')).toBe(1);
    expect(count(run.stdout(), 'sleep job completed')).toBe(3);
    expect(run.stdout()).toContain('stopped: 4 finished, 0 abandoned');
    await expect(`${run.stdout()}[exit code ${code}]\n`).toMatchFileSnapshot('./outputs/01-with-runner.txt');
  });

  it('SIGKILL takes every accepted job with it: none completes, and nothing outside the process knew of them', async () => {
    const run = runScript(killed);
    await run.printed('3 jobs in flight', 20_000);
    run.child.kill('SIGKILL');
    const end = await run.exited(10_000);
    expect(end).toBe('SIGKILL');
    expect(count(run.stdout(), 'started sleep')).toBe(3);
    expect(count(run.stdout(), 'completed')).toBe(0);
    await expect(`${run.stdout()}[killed by ${end}]\n`).toMatchFileSnapshot('./outputs/01-killed.txt');
  });
});
