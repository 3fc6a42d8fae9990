// Proves lesson 04: a supervisor restarts a crashed server with fresh state, gives up after its
// restart limit (Elixir's default, 3 in 5 s: change the default in src/otp/supervisor.ts and
// this fails), and a `crash` is survivable only where it ends a thread, not the process.

import { afterEach, describe, expect, it, vi } from 'vitest';
import { crashTimes, giveUp, restartWithFreshState, startCounterSupervisor } from './04-supervisor/supervised-counter.ts';
import { errorLine, killScripts, runScript } from './support/run-script.ts';

const crash = new URL('./04-supervisor/crash.ts', import.meta.url);

function collect(): { lines: string[]; say: (line: string) => void } {
  const lines: string[] = [];
  return { lines, say: (line) => lines.push(line) };
}

afterEach(() => {
  killScripts();
  vi.useRealTimers();
});

describe('lesson 04: Supervisor and crash isolation', () => {
  it('a crashed server is restarted from init: the caller gets ServerCrashedError and the new server starts from zero', async () => {
    const { lines, say } = collect();
    await restartWithFreshState(say);
    expect(lines).toEqual(['count before the crash: 3', 'ServerCrashedError:\n  Server `counter` crashed: boom: the counter crashed on purpose', 'count after the restart: 0']);
    await expect(`${lines.join('\n')}\n`).toMatchFileSnapshot('./outputs/04-restart.txt');
  });

  it('with the default limit the supervisor restarts 3 times, gives up on the 4th crash, and the name is free', async () => {
    const { lines, say } = collect();
    await giveUp(say);
    expect(lines.filter((line) => line.startsWith('restarted'))).toHaveLength(3);
    expect(lines.filter((line) => line === 'crashed')).toHaveLength(4);
    expect(lines.slice(-4)).toEqual(['gave-up', 'gave up on counter after 3 restarts', '  the last crash: boom: the counter crashed on purpose', 'registry has a counter: false']);
    await expect(`${lines.join('\n')}\n`).toMatchFileSnapshot('./outputs/04-give-up.txt');
  });

  it('the window is 5 s: three crashes, then a fourth more than 5 s later, is restarted, not given up on', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const supervisor = await startCounterSupervisor();
    expect(await crashTimes(supervisor, 3)).toBe('running');
    vi.setSystemTime(Date.now() + 5_001);
    expect(await crashTimes(supervisor, 1)).toBe('running');
    expect(supervisor.restarts).toBe(4);
    await supervisor.stop();
  });

  it('a `crash` in an in-process server ends the whole process before the supervisor can restart anything', async () => {
    const run = runScript(crash, ['in-process']);
    const code = await run.exited(20_000);
    expect(code, run.stderr()).toBe(1);
    expect(run.stdout()).not.toContain('supervisor: restarted');
    expect(run.stdout()).not.toContain('still alive');
    expect(errorLine(run.stderr())).toBe('Error: crash: uncaught exception thrown by the `crash` job');
    await expect(`${run.stdout()}[stderr] ${errorLine(run.stderr())}\n[exit code ${code}]\n`).toMatchFileSnapshot('./outputs/04-crash-in-process.txt');
  });

  it('the same `crash` in a thread-hosted server ends that thread: the supervisor starts a new thread and the process lives', async () => {
    const run = runScript(crash, ['in-thread']);
    const code = await run.exited(30_000);
    expect(code, run.stderr()).toBe(0);
    expect(run.stdout()).toContain('the call ended with ServerCrashedError');
    expect(run.stdout()).toContain('a new thread: true');
    expect(run.stdout()).toContain('still alive');
    await expect(`${run.stdout()}[exit code ${code}]\n`).toMatchFileSnapshot('./outputs/04-crash-in-thread.txt');
  });
});
