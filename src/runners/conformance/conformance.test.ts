// The conformance suite: the same claims, checked against every runner in the registry.
// Adding a runner to src/runners/registry.ts makes it run all of this. Each declared trait
// is proved in both directions: a runner that claims more than it does fails, and so does
// one that claims less than it does where the difference can be seen.

import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { Runner, RunnerId } from '../../contract.ts';
import {
  InvalidJobDataError,
  InvalidOptionError,
  JobFailedError,
  NeedAQueueError,
  ResultUnavailableError,
  RunnerStoppedError,
  UnknownJobError,
  UnsupportedOptionError,
} from '../../errors.ts';
import { lookupValue } from '../../jobs/catalogue.ts';
import { createRunner, runnerIds } from '../registry.ts';
import { recordEvents } from './events.ts';
import { conformanceOptions, producerOnlyOptions } from './fixtures.ts';
import { killChildren, spawnChild } from './spawn-child.ts';

const live = new Set<Runner>();

async function open(id: RunnerId, options = conformanceOptions(id)): Promise<Runner> {
  const runner = await createRunner(id, options);
  live.add(runner);
  return runner;
}

afterEach(async () => {
  killChildren();
  await Promise.all([...live].map((runner) => runner.stop({ drain: false, timeoutMs: 2000 })));
  live.clear();
});

describe.each(runnerIds)('%s', (id) => {
  describe('submit and complete', () => {
    it('runs a submitted job and reports accepted, started, completed in that order', async () => {
      const runner = await open(id);
      const log = recordEvents(runner);
      const ticket = await runner.submit('noop', null);
      await log.waitFor('completed', 1, { jobId: ticket.id });
      const types = log.events.filter((e) => e.jobId === ticket.id).map((e) => e.type);
      expect(types).toEqual(['accepted', 'started', 'completed']);
      const times = log.events.filter((e) => e.jobId === ticket.id).map((e) => e.at);
      expect(times).toEqual([...times].sort((a, b) => a - b));
    });

    it('runs many jobs, each exactly once when nothing fails', async () => {
      const runner = await open(id);
      const log = recordEvents(runner);
      const tickets = await Promise.all(Array.from({ length: 50 }, () => runner.submit('sleep', { ms: 1 })));
      await log.waitFor('completed', 50, { timeoutMs: 20_000 });
      const completedIds = log.events.filter((e) => e.type === 'completed').map((e) => e.jobId);
      expect(new Set(completedIds)).toEqual(new Set(tickets.map((t) => t.id)));
      expect(completedIds).toHaveLength(50);
    });
  });

  describe('results (traits.result)', () => {
    it('returns the job value when it declares results, or refuses at once when it does not', async () => {
      const runner = await open(id);
      const ticket = await runner.submit('lookup', { key: 'alpha' });
      if (runner.traits.result) {
        await expect(ticket.result({ timeoutMs: 10_000 })).resolves.toBe(lookupValue('alpha'));
      } else {
        await expect(ticket.result()).rejects.toBeInstanceOf(ResultUnavailableError);
      }
    });

    it('reports a failed job with the job\'s own error as cause', async () => {
      const errors: Error[] = [];
      const runner = await open(id, { ...conformanceOptions(id), onError: (error) => errors.push(error) });
      const log = recordEvents(runner);
      const ticket = await runner.submit('fail', { times: 1 });
      await log.waitFor('failed', 1, { jobId: ticket.id });
      expect(log.events.find((e) => e.type === 'failed')?.error).toBe('planned failure 1 of 1');
      if (runner.traits.result) {
        const failure = await ticket.result({ timeoutMs: 10_000 }).catch((error: unknown) => error);
        expect(failure).toBeInstanceOf(JobFailedError);
        expect(((failure as JobFailedError).cause as Error).message).toBe('planned failure 1 of 1');
      } else {
        // With no result to carry it, the failure must reach the handler the caller passed.
        expect(errors.map((e) => e.message)).toContain('planned failure 1 of 1');
      }
    });
  });

  describe('retries (traits.retries)', () => {
    it('retries a failing job until it succeeds when it declares retries, or refuses `attempts`', async () => {
      const runner = await open(id);
      if (!runner.traits.retries) {
        expect(runner.traits.options).not.toContain('attempts');
        await expect(runner.submit('fail', { times: 2 }, { attempts: 3 })).rejects.toBeInstanceOf(UnsupportedOptionError);
        return;
      }
      const log = recordEvents(runner);
      const ticket = await runner.submit('fail', { times: 2 }, { attempts: 3, backoff: { type: 'fixed', delayMs: 10 } });
      await log.waitFor('completed', 1, { jobId: ticket.id, timeoutMs: 15_000 });
      expect(log.count('started', ticket.id)).toBe(3);
      expect(log.count('retrying', ticket.id)).toBe(2);
      if (runner.traits.result) await expect(ticket.result()).resolves.toEqual({ attempt: 3 });
    });
  });

  describe('stop', () => {
    it('drains when asked to: every accepted job either finishes or stays stored, none abandoned', async () => {
      const runner = await open(id);
      const log = recordEvents(runner);
      for (let i = 0; i < 5; i++) await runner.submit('sleep', { ms: 50 });
      await log.waitFor('started', 1);
      const report = await runner.stop({ drain: true, timeoutMs: 10_000 });
      expect(report.abandoned).toBe(0);
      // In-process runners finish all five; durable ones finish what had started and keep the rest.
      expect(log.count('completed') + report.stored).toBe(5);
      if (!runner.traits.durable) expect(report.stored).toBe(0);
    });

    it('refuses jobs after stop with RunnerStoppedError', async () => {
      const runner = await open(id);
      await runner.stop();
      await expect(runner.submit('noop', null)).rejects.toBeInstanceOf(RunnerStoppedError);
    });
  });

  describe('durability (traits.durable)', () => {
    it('keeps an accepted job for a fresh instance when durable; reports it abandoned when not', async () => {
      if (!(await open(id)).traits.durable) {
        const runner = await open(id);
        const log = recordEvents(runner);
        await runner.submit('sleep', { ms: 5000 });
        await log.waitFor('started', 1);
        const report = await runner.stop({ drain: false });
        expect(report).toMatchObject({ abandoned: 1, stored: 0 });
        return;
      }
      const queue = `conf-durable-${randomUUID()}`;
      const producer = await open(id, producerOnlyOptions(id, queue));
      const ticket = await producer.submit('lookup', { key: 'kept' });
      const report = await producer.stop({ drain: false });
      expect(report.stored).toBe(1);
      const consumer = await open(id, conformanceOptions(id, queue));
      const log = recordEvents(consumer);
      await log.waitFor('completed', 1, { jobId: ticket.id, timeoutMs: 15_000 });
    });
  });

  describe('delivery (traits.delivery)', () => {
    it('runs again a job whose worker went away mid-job when at-least-once; never again when at-most-once', async () => {
      const queue = `conf-delivery-${randomUUID()}`;
      const first = await open(id, conformanceOptions(id, queue));
      const firstLog = recordEvents(first);
      const ticket = await first.submit('sleep', { ms: 3000 });
      await firstLog.waitFor('started', 1, { jobId: ticket.id });
      // Abandon without draining: the in-process equivalent of the worker dying mid-job.
      await first.stop({ drain: false });
      const second = await open(id, conformanceOptions(id, queue));
      const secondLog = recordEvents(second);
      if (first.traits.delivery === 'at-least-once') {
        await secondLog.waitFor('completed', 1, { jobId: ticket.id, timeoutMs: 20_000 });
        expect(secondLog.count('started', ticket.id)).toBeGreaterThanOrEqual(1);
      } else {
        // A canary proves the second instance is consuming; the abandoned job must not follow it.
        const canary = await second.submit('noop', null);
        await secondLog.waitFor('completed', 1, { jobId: canary.id });
        expect(secondLog.count('started', ticket.id)).toBe(0);
        expect(firstLog.count('completed', ticket.id)).toBe(0);
      }
    });
  });

  describe('isolation (traits.isolation)', () => {
    it('a crashing job takes the process down only when isolation is none', async () => {
      const traits = (await open(id)).traits;
      const child = spawnChild('crash', id, conformanceOptions(id));
      const exit = await child.exited(20_000);
      if (traits.isolation === 'none') {
        expect(exit, child.output()).not.toBe(0);
        expect(child.output()).toContain('crash: uncaught exception');
      } else {
        expect(exit, child.output()).toBe(0);
        expect(child.output()).toContain('survived');
      }
    });
  });

  describe('scope (traits.scope)', () => {
    it('lets another process run the job when its scope is wider than a process', async () => {
      const traits = (await open(id)).traits;
      if (traits.scope === 'process') {
        // Two instances in one process share nothing: a job sent to one never reaches the other.
        const a = await open(id);
        const b = await open(id);
        const bLog = recordEvents(b);
        const aLog = recordEvents(a);
        const ticket = await a.submit('noop', null);
        await aLog.waitFor('completed', 1, { jobId: ticket.id });
        expect(bLog.events).toHaveLength(0);
        return;
      }
      const queue = `conf-scope-${randomUUID()}`;
      const child = spawnChild('serve', id, conformanceOptions(id, queue));
      await child.printed('ready', 20_000);
      const producer = await open(id, producerOnlyOptions(id, queue));
      const ticket = await producer.submit('noop', null);
      await child.printed(`"type":"completed","jobId":"${ticket.id}"`, 15_000);
    });
  });

  describe('bad input', () => {
    it('rejects an unknown job with UnknownJobError at submit', async () => {
      const runner = await open(id);
      await expect(runner.submit('no-such-job', null)).rejects.toBeInstanceOf(UnknownJobError);
    });

    it('rejects bad job data with InvalidJobDataError at submit', async () => {
      const runner = await open(id);
      await expect(runner.submit('sleep', { ms: -5 })).rejects.toBeInstanceOf(InvalidJobDataError);
      await expect(runner.submit('sleep', 'soon')).rejects.toBeInstanceOf(InvalidJobDataError);
    });

    it('refuses every submit option it does not declare, and bad values of those it does', async () => {
      const runner = await open(id);
      const all = { id: 'x', attempts: 2, delayMs: 10, timeoutMs: 1000, priority: 1, backoff: { type: 'fixed', delayMs: 1 } } as const;
      for (const name of Object.keys(all) as (keyof typeof all)[]) {
        if (runner.traits.options.includes(name)) continue;
        await expect(runner.submit('noop', null, { [name]: all[name] })).rejects.toBeInstanceOf(UnsupportedOptionError);
      }
      for (const name of runner.traits.options) {
        await expect(runner.submit('noop', null, { [name]: -1 })).rejects.toBeInstanceOf(InvalidOptionError);
      }
    });

    it('refuses a runner option it cannot honour', async () => {
      const options = { ...conformanceOptions(id), tuning: { noSuchKnob: 1 } };
      await expect(createRunner(id, options)).rejects.toBeInstanceOf(NeedAQueueError);
      await expect(createRunner(id, { ...conformanceOptions(id), concurrency: 0 })).rejects.toBeInstanceOf(NeedAQueueError);
    });
  });

  describe('timeouts (submit option timeoutMs)', () => {
    it('fails a hanging job after timeoutMs when it honours timeoutMs', async () => {
      const runner = await open(id);
      if (!runner.traits.options.includes('timeoutMs')) {
        await expect(runner.submit('hang', null, { timeoutMs: 100 })).rejects.toBeInstanceOf(UnsupportedOptionError);
        return;
      }
      const log = recordEvents(runner);
      const ticket = await runner.submit('hang', null, { timeoutMs: 200 });
      await log.waitFor('failed', 1, { jobId: ticket.id });
      if (runner.traits.result) await expect(ticket.result()).rejects.toBeInstanceOf(JobFailedError);
    });
  });
});
