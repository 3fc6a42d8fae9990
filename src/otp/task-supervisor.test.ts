import { describe, expect, it } from 'vitest';
import { InvalidOptionError, QueueFullError, RunnerStoppedError } from '../errors.ts';
import { Task } from './task.ts';
import { TaskSupervisor, type TaskSupervisorOptions } from './task-supervisor.ts';

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

describe('TaskSupervisor', () => {
  it('never runs more than `concurrency` tasks at once', async () => {
    const supervisor = new TaskSupervisor({ concurrency: 3 });
    let running = 0;
    let peak = 0;
    const tasks = await Promise.all(
      Array.from({ length: 20 }, () =>
        supervisor.start(async () => {
          peak = Math.max(peak, ++running);
          await new Promise((resolve) => setImmediate(resolve));
          running--;
        }),
      ),
    );
    await Promise.all(tasks.map((task) => task.await()));
    expect(peak).toBe(3);
  });

  it('rejects with QueueFullError when the line is full (reject policy)', async () => {
    const supervisor = new TaskSupervisor({ concurrency: 1, maxQueue: 1 });
    const { opened, open } = gate();
    await supervisor.start(() => opened);
    await supervisor.start(() => opened);
    await expect(supervisor.start(() => opened)).rejects.toBeInstanceOf(QueueFullError);
    open();
    await supervisor.idle();
  });

  it('holds the caller until there is room (wait policy)', async () => {
    const supervisor = new TaskSupervisor({ concurrency: 1, maxQueue: 1, overflow: 'wait' });
    const { opened, open } = gate();
    await supervisor.start(() => opened);
    await supervisor.start(() => opened);
    let accepted = false;
    const third = supervisor.start(() => Promise.resolve('third')).then((task) => ((accepted = true), task));
    await new Promise((resolve) => setImmediate(resolve));
    expect(accepted).toBe(false);
    open();
    await expect((await third).await()).resolves.toBe('third');
  });

  it('a task cancelled while in line never runs', async () => {
    const supervisor = new TaskSupervisor({ concurrency: 1 });
    const { opened, open } = gate();
    await supervisor.start(() => opened);
    let ran = false;
    const waiting = await supervisor.start(() => void (ran = true));
    waiting.cancel();
    open();
    await supervisor.idle();
    expect(ran).toBe(false);
  });

  it('never runs the work it refused (reject policy)', async () => {
    const supervisor = new TaskSupervisor({ concurrency: 1, maxQueue: 0 });
    const { opened, open } = gate();
    await supervisor.start(() => opened);
    let ran = false;
    await expect(supervisor.start(() => void (ran = true))).rejects.toBeInstanceOf(QueueFullError);
    open();
    await supervisor.idle();
    expect(ran).toBe(false);
  });

  it('close() releases callers held by the wait policy with RunnerStoppedError', async () => {
    const supervisor = new TaskSupervisor({ concurrency: 1, maxQueue: 0, overflow: 'wait' });
    const { opened, open } = gate();
    await supervisor.start(() => opened);
    const held = supervisor.start(() => 'never');
    supervisor.close();
    await expect(held).rejects.toBeInstanceOf(RunnerStoppedError);
    open();
    await supervisor.idle();
  });

  it('abandon() drops the whole line without running or settling a task in it', async () => {
    const supervisor = new TaskSupervisor({ concurrency: 1 });
    const { opened, open } = gate();
    await supervisor.start(() => opened);
    let ran = 0;
    const waiting = await Promise.all(Array.from({ length: 1000 }, () => supervisor.start(() => void ran++)));
    expect(supervisor.abandon()).toBe(1000);
    expect(supervisor.waiting).toBe(0);
    open();
    await supervisor.idle();
    expect(ran).toBe(0);
    // Not visited: their handles are left as they were, for whoever holds them to settle.
    expect(waiting.every((task) => task.outcome.status === 'running')).toBe(true);
  });

  it('run() accepts a pending task at once, or throws QueueFullError without waiting', async () => {
    const supervisor = new TaskSupervisor({ concurrency: 1, maxQueue: 0, overflow: 'wait' });
    const { opened, open } = gate();
    const first = Task.pending<string>();
    supervisor.run(first, () => opened.then(() => 'first'));
    expect(() => supervisor.run(Task.pending(), () => 'second')).toThrow(QueueFullError);
    open();
    await expect(first.await()).resolves.toBe('first');
  });

  it.each<[string, TaskSupervisorOptions]>([
    ['concurrency 0', { concurrency: 0 }],
    ['concurrency 1.5', { concurrency: 1.5 }],
    ['maxQueue -1', { maxQueue: -1 }],
    ['overflow "drop"', { overflow: 'drop' as never }],
  ])('refuses %s with InvalidOptionError', (_label, options) => {
    expect(() => new TaskSupervisor(options)).toThrow(InvalidOptionError);
  });
});
