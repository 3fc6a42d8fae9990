// The conformance suite: the same claims, checked against every runner in the registry.
// Adding a runner to src/runners/registry.ts makes it run all of this. Each declared trait
// is proved in both directions: a runner that claims more than it does fails, and so does
// one that claims less than it does where the difference can be seen. Which side of a trait
// a runner is on comes from its static descriptor, so each side is its own test
// (`it.runIf`) and the report says which one ran.

import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { MAX_ATTEMPTS, MAX_CONCURRENCY, MAX_TIMER_MS, defaults } from '../../contract.ts';
import type { Json, Runner, RunnerId, RunnerOptions, SubmitOptions, Ticket } from '../../contract.ts';
import {
  describeValue,
  InvalidJobDataError,
  InvalidOptionError,
  JobFailedError,
  NeedAQueueError,
  QueueFullError,
  ServiceUnavailableError,
  ResultUnavailableError,
  RunnerStoppedError,
  TimeoutError,
  UnknownJobError,
  UnsupportedOptionError,
} from '../../errors.ts';
import { lookupValue } from '../../jobs/catalogue.ts';
import { createRunner, descriptors } from '../registry.ts';
import { recordEvents } from './events.ts';
import { conformanceOptions, producerOnlyOptions } from './fixtures.ts';
import { killChildren, spawnChild } from './spawn-child.ts';
import { startStoreProxy, type StoreProxy } from './store-proxy.ts';
import { testDatabaseUrl, testRedisUrl } from '../../testing/services.ts';

const live = new Set<Runner>();

async function open(id: RunnerId, options = conformanceOptions(id)): Promise<Runner> {
  const runner = await createRunner(id, options);
  live.add(runner);
  return runner;
}

/** What `promise` settled with (its value or its error), or 'still waiting after 10 s'. */
function outcomeWithin10s(promise: Promise<unknown>): Promise<unknown> {
  return Promise.race([promise.catch((error: unknown) => error), new Promise((resolve) => setTimeout(() => resolve('still waiting after 10 s'), 10_000))]);
}

afterEach(async () => {
  killChildren();
  await Promise.all([...live].map((runner) => runner.stop({ drain: false, timeoutMs: 2000 })));
  live.clear();
});

describe.each(descriptors)('$id', ({ id, traits, options: runnerOptions, services, concurrency: defaultConcurrency }) => {
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

  it('declares in its descriptor the traits its live instance has', async () => {
    const runner = await open(id);
    expect(runner.id).toBe(id);
    expect(runner.traits).toEqual(traits);
  });

  describe('defaults (src/contract.ts)', () => {
    it.runIf(runnerOptions.includes('concurrency'))('runs as many jobs at once as its descriptor\'s `concurrency` when none is given, no more', async () => {
      const { concurrency: _given, ...options } = conformanceOptions(id);
      const runner = await open(id, options);
      const log = recordEvents(runner);
      const n = defaultConcurrency ?? 0;
      expect(n).toBeGreaterThan(0);
      for (let i = 0; i <= n; i++) await runner.submit('sleep', { ms: 3000 });
      await log.waitFor('started', n, { timeoutMs: 10_000 });
      // Time for one more to start if the runner would start it.
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(log.count('started')).toBe(n);
    });

    it('stop() with no deadline waits defaults.drainTimeoutMs for a running job, then abandons it', async () => {
      const runner = await open(id);
      const log = recordEvents(runner);
      const ticket = await runner.submit('hang', null);
      await log.waitFor('started', 1, { jobId: ticket.id });
      // Only the deadline's clock is faked, from here on: the store's connections keep real time.
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      let outcome: unknown = 'still waiting';
      try {
        void runner.stop().then((report) => (outcome = report), (error: unknown) => (outcome = error));
        await vi.advanceTimersByTimeAsync(defaults.drainTimeoutMs - 100);
        expect(outcome).toBe('still waiting');
        await vi.advanceTimersByTimeAsync(200);
        // Past the deadline a store runner still closes its connections: real I/O, waited for
        // on the real clock (Date is not faked) without moving the fake one on.
        const until = Date.now() + 10_000;
        while (outcome === 'still waiting' && Date.now() < until) await new Promise((resolve) => setImmediate(resolve));
        expect(outcome).toMatchObject({ abandoned: 1 });
      } finally {
        // A stop still waiting on a fake timer would wait forever once the clock is real again.
        if (outcome === 'still waiting') await vi.advanceTimersByTimeAsync(MAX_TIMER_MS);
        vi.useRealTimers();
      }
    });

    it.runIf(traits.result)('gives up `ticket.result()` with no timeout after defaults.resultTimeoutMs, with TimeoutError', async () => {
      const runner = await open(id);
      const log = recordEvents(runner);
      const ticket = await runner.submit('hang', null);
      await log.waitFor('started', 1, { jobId: ticket.id });
      // Only the wait's clock is faked, from here on: the store's connections keep real time.
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      try {
        let outcome: unknown = 'still waiting';
        void ticket.result().then((value) => (outcome = value), (error: unknown) => (outcome = error));
        await vi.advanceTimersByTimeAsync(defaults.resultTimeoutMs - 100);
        expect(outcome).toBe('still waiting');
        await vi.advanceTimersByTimeAsync(200);
        expect(outcome).toBeInstanceOf(TimeoutError);
        expect((outcome as TimeoutError).timeoutMs).toBe(defaults.resultTimeoutMs);
      } finally {
        vi.useRealTimers();
      }
    });
  });

  describe('results (traits.result)', () => {
    it.runIf(traits.result)('returns the job value', async () => {
      const runner = await open(id);
      const ticket = await runner.submit('lookup', { key: 'alpha' });
      await expect(ticket.result({ timeoutMs: 10_000 })).resolves.toBe(lookupValue('alpha'));
    });

    it.runIf(!traits.result)('refuses a result at once with ResultUnavailableError', async () => {
      const runner = await open(id);
      const ticket = await runner.submit('lookup', { key: 'alpha' });
      await expect(ticket.result()).rejects.toBeInstanceOf(ResultUnavailableError);
    });

    async function failOnce(runner: Runner) {
      const log = recordEvents(runner);
      const ticket = await runner.submit('fail', { times: 1 });
      await log.waitFor('failed', 1, { jobId: ticket.id });
      expect(log.events.find((e) => e.type === 'failed')?.error).toBe('planned failure 1 of 1');
      return ticket;
    }

    it.runIf(traits.result)('reports a failed job through its result, with the job\'s own error as cause', async () => {
      const ticket = await failOnce(await open(id));
      const failure = await ticket.result({ timeoutMs: 10_000 }).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(JobFailedError);
      expect(((failure as JobFailedError).cause as Error).message).toBe('planned failure 1 of 1');
    });

    it.runIf(!traits.result)('reports a failed job to onError, with no result to carry it', async () => {
      const errors: Error[] = [];
      await failOnce(await open(id, { ...conformanceOptions(id), onError: (error) => errors.push(error) }));
      expect(errors.map((e) => e.message)).toContain('planned failure 1 of 1');
    });
  });

  describe('retries (traits.retries)', () => {
    it.runIf(!traits.retries)('refuses `attempts`', async () => {
      const runner = await open(id);
      expect(runner.traits.options).not.toContain('attempts');
      await expect(runner.submit('fail', { times: 2 }, { attempts: 3 })).rejects.toBeInstanceOf(UnsupportedOptionError);
    });

    it.runIf(traits.retries)('retries a failing job until it succeeds', async () => {
      const runner = await open(id);
      const log = recordEvents(runner);
      const ticket = await runner.submit('fail', { times: 2 }, { attempts: 3, backoff: { type: 'fixed', delayMs: 10 } });
      await log.waitFor('completed', 1, { jobId: ticket.id, timeoutMs: 15_000 });
      expect(log.count('started', ticket.id)).toBe(3);
      expect(log.count('retrying', ticket.id)).toBe(2);
      if (traits.result) await expect(ticket.result()).resolves.toEqual({ attempt: 3 });
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
      if (!traits.durable) expect(report.stored).toBe(0);
    });

    it('answers a second stop() with the first one\'s report', async () => {
      const runner = await open(id);
      const log = recordEvents(runner);
      for (let i = 0; i < 3; i++) await runner.submit('sleep', { ms: 20 });
      await log.waitFor('started', 1);
      const [first, concurrent] = await Promise.all([runner.stop({ timeoutMs: 10_000 }), runner.stop()]);
      expect(first.finished + first.stored).toBe(3);
      expect(concurrent).toEqual(first);
      await expect(runner.stop({ drain: false })).resolves.toEqual(first);
    });

    it('refuses a drain deadline past the longest Node timer and keeps running', async () => {
      const runner = await open(id);
      for (const timeoutMs of [MAX_TIMER_MS + 1, 1e20, -1, Number.NaN]) await expect(runner.stop({ timeoutMs })).rejects.toThrow(InvalidOptionError);
      const log = recordEvents(runner);
      const ticket = await runner.submit('noop', null);
      await log.waitFor('completed', 1, { jobId: ticket.id });
    });

    it('refuses jobs after stop with RunnerStoppedError', async () => {
      const runner = await open(id);
      await runner.stop();
      await expect(runner.submit('noop', null)).rejects.toBeInstanceOf(RunnerStoppedError);
    });
  });

  describe('a bounded line (maxQueue)', () => {
    const bounded = runnerOptions.includes('maxQueue') && !traits.durable;

    it.runIf(bounded)('bounds its line by default: past defaults.maxQueue waiting jobs, submit rejects with QueueFullError', async () => {
      const runner = await open(id, { ...conformanceOptions(id), concurrency: 1 });
      let accepted = 0;
      let refusal: unknown;
      // One job runs (concurrency 1), the line holds defaults.maxQueue; a few more to be sure.
      for (let i = 0; i < defaults.maxQueue + 3 && refusal === undefined; i++) {
        await runner.submit('hang', null).then(() => accepted++, (error: unknown) => (refusal = error));
      }
      expect(refusal).toBeInstanceOf(QueueFullError);
      expect(accepted).toBeGreaterThanOrEqual(defaults.maxQueue);
      expect(accepted).toBeLessThanOrEqual(defaults.maxQueue + 1);
    });

    it.runIf(bounded)('stop({ drain: false }) abandons a full line and answers the result() of a job still waiting in it', async () => {
      const runner = await open(id, { ...conformanceOptions(id), concurrency: 1, maxQueue: 1000 });
      const tickets: Ticket[] = [];
      for (let i = 0; i < 1001; i++) tickets.push(await runner.submit('hang', null));
      const last = tickets.at(-1) as Ticket;
      const answer = last.result({ timeoutMs: 30_000 }).catch((error: unknown) => error);
      const report = await runner.stop({ drain: false });
      expect(report.abandoned).toBe(1001);
      // Answered by the stop, not by the 30 s wait running out.
      expect(await answer).toBeInstanceOf(JobFailedError);
      expect(await last.result().catch((error: unknown) => error)).toBeInstanceOf(JobFailedError);
    });
  });

  describe('durability (traits.durable)', () => {
    it.runIf(!traits.durable)('reports a running job abandoned when stopped without draining', async () => {
      const runner = await open(id);
      const log = recordEvents(runner);
      await runner.submit('sleep', { ms: 5000 });
      await log.waitFor('started', 1);
      const report = await runner.stop({ drain: false });
      expect(report).toMatchObject({ abandoned: 1, stored: 0 });
    });

    it.runIf(traits.durable)('keeps an accepted job for a fresh instance', async () => {
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
    /** Starts a long job, then stops without draining: the in-process equivalent of the worker dying mid-job. */
    async function abandonMidJob() {
      const queue = `conf-delivery-${randomUUID()}`;
      const first = await open(id, conformanceOptions(id, queue));
      const firstLog = recordEvents(first);
      const ticket = await first.submit('sleep', { ms: 3000 });
      await firstLog.waitFor('started', 1, { jobId: ticket.id });
      await first.stop({ drain: false });
      const second = await open(id, conformanceOptions(id, queue));
      return { ticket, firstLog, second, secondLog: recordEvents(second) };
    }

    it.runIf(traits.delivery === 'at-least-once')('runs again a job whose worker went away mid-job', async () => {
      const { ticket, secondLog } = await abandonMidJob();
      await secondLog.waitFor('completed', 1, { jobId: ticket.id, timeoutMs: 20_000 });
      expect(secondLog.count('started', ticket.id)).toBeGreaterThanOrEqual(1);
    });

    it.runIf(traits.delivery === 'at-most-once')('never runs again a job whose worker went away mid-job', async () => {
      const { ticket, firstLog, second, secondLog } = await abandonMidJob();
      // A canary proves the second instance is consuming; the abandoned job must not follow it.
      const canary = await second.submit('noop', null);
      await secondLog.waitFor('completed', 1, { jobId: canary.id });
      expect(secondLog.count('started', ticket.id)).toBe(0);
      expect(firstLog.count('completed', ticket.id)).toBe(0);
    });
  });

  describe('isolation (traits.isolation)', () => {
    it.runIf(traits.isolation === 'none')('a crashing job takes the process down', async () => {
      const child = spawnChild('crash', id, conformanceOptions(id));
      const exit = await child.exited(20_000);
      expect(exit, child.output()).not.toBe(0);
      expect(child.output()).toContain('crash: uncaught exception');
    });

    it.runIf(traits.isolation !== 'none')('a crashing job leaves the process running', async () => {
      const child = spawnChild('crash', id, conformanceOptions(id));
      const exit = await child.exited(20_000);
      expect(exit, child.output()).toBe(0);
      expect(child.output()).toContain('survived');
    });
  });

  describe('scope (traits.scope)', () => {
    it.runIf(traits.scope === 'process')('keeps jobs within one instance: another never sees them', async () => {
      const a = await open(id);
      const b = await open(id);
      const bLog = recordEvents(b);
      const aLog = recordEvents(a);
      const ticket = await a.submit('noop', null);
      await aLog.waitFor('completed', 1, { jobId: ticket.id });
      expect(bLog.events).toHaveLength(0);
    });

    it.runIf(traits.scope !== 'process')('lets another process run the job', async () => {
      const queue = `conf-scope-${randomUUID()}`;
      const child = spawnChild('serve', id, conformanceOptions(id, queue));
      await child.printed('ready', 20_000);
      const producer = await open(id, producerOnlyOptions(id, queue));
      const ticket = await producer.submit('noop', null);
      await child.printed(`"type":"completed","jobId":"${ticket.id}"`, 15_000);
    });
  });

  describe('a store that stops answering or goes away (runners with a store)', () => {
    const proxies: StoreProxy[] = [];
    afterEach(() => {
      // Thawed before the runners stop (afterEach hooks run in reverse order of declaration).
      for (const proxy of proxies) proxy.thaw();
    });
    afterAll(async () => {
      await Promise.all(proxies.splice(0).map((proxy) => proxy.close()));
    });

    async function viaProxy(extra: RunnerOptions): Promise<{ proxy: StoreProxy; options: RunnerOptions }> {
      const proxy = await startStoreProxy(id === 'bullmq-redis' ? testRedisUrl() : testDatabaseUrl());
      proxies.push(proxy);
      const base = conformanceOptions(id);
      return { proxy, options: { ...base, ...(id === 'bullmq-redis' ? { redisUrl: proxy.url } : { databaseUrl: proxy.url }), ...extra } };
    }

    it.runIf(services.length > 0)('rejects a submit the store does not answer within submitTimeoutMs, and bounds the submits waiting', async () => {
      const { proxy, options } = await viaProxy({ submitTimeoutMs: 300, maxPendingSubmits: 5 });
      const runner = await open(id, options);
      proxy.freeze();
      const waiting = Array.from({ length: 5 }, () => runner.submit('noop', null).catch((error: unknown) => error));
      await expect(runner.submit('noop', null)).rejects.toThrow(QueueFullError);
      for (const error of await Promise.all(waiting)) expect(error).toBeInstanceOf(ServiceUnavailableError);
      proxy.thaw();
      // Once the store answers, the waiting writes settle and submits are accepted again.
      const log = recordEvents(runner);
      let ticket: Ticket | undefined;
      await expect.poll(async () => (ticket ??= await runner.submit('noop', null).catch(() => undefined)) !== undefined, { timeout: 15_000 }).toBe(true);
      await log.waitFor('completed', 1, { jobId: ticket?.id, timeoutMs: 15_000 });
    });

    it.runIf(services.length > 0)('stops within its deadline while the store does not answer, and says the store is why', async () => {
      const { proxy, options } = await viaProxy({ onError: () => undefined });
      const runner = await open(id, options);
      const log = recordEvents(runner);
      const ticket = await runner.submit('noop', null);
      await log.waitFor('completed', 1, { jobId: ticket.id });
      proxy.freeze();
      // The stop settles, at its deadline or soon after, instead of waiting for the store forever.
      const stopping = runner.stop({ drain: false, timeoutMs: 500 });
      live.delete(runner);
      const outcome = await outcomeWithin10s(stopping);
      expect(outcome).toBeInstanceOf(ServiceUnavailableError);
      expect((outcome as ServiceUnavailableError).message).toMatch(/could not count the jobs it left stored/);
      await expect(runner.submit('noop', null)).rejects.toBeInstanceOf(RunnerStoppedError);
    });

    it.runIf(services.length > 0)('gives up a result wait at its timeout while the store does not answer', async () => {
      const { proxy, options } = await viaProxy({ onError: () => undefined });
      const runner = await open(id, options);
      const log = recordEvents(runner);
      const ticket = await runner.submit('hang', null);
      await log.waitFor('started', 1, { jobId: ticket.id });
      proxy.freeze();
      const outcome = await outcomeWithin10s(ticket.result({ timeoutMs: 300 }));
      expect(outcome).toBeInstanceOf(TimeoutError);
    });

    it.runIf(services.length > 0)('hands a background error (its store connection reset) to onError', async () => {
      const errors: Error[] = [];
      const { proxy, options } = await viaProxy({ onError: (error) => errors.push(error) });
      await open(id, options);
      proxy.cut();
      await expect.poll(() => errors.length, { timeout: 10_000 }).toBeGreaterThan(0);
      proxy.restore();
    });
  });

  describe('bad input', () => {
    it('rejects an unknown job with UnknownJobError at submit: a one-line message and a separate fix', async () => {
      const runner = await open(id);
      const error = await runner.submit('no-such-job', null).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UnknownJobError);
      expect((error as UnknownJobError).message).toBe('Unknown job `"no-such-job"` (string)');
      expect((error as UnknownJobError).fix).toMatch(/^use one of: noop, /);
    });

    it('rejects bad job data with InvalidJobDataError at submit', async () => {
      const runner = await open(id);
      await expect(runner.submit('sleep', { ms: -5 })).rejects.toBeInstanceOf(InvalidJobDataError);
      await expect(runner.submit('sleep', 'soon')).rejects.toBeInstanceOf(InvalidJobDataError);
    });

    it('refuses data that is not JSON with InvalidJobDataError at submit, accepting none of it', async () => {
      const runner = await open(id);
      const log = recordEvents(runner);
      const circular: Record<string, unknown> = { key: 'k' };
      circular.self = circular;
      const notJson: unknown[] = [
        { key: 'k', f: () => 1 },
        { key: 'k', n: 10n },
        circular,
        { key: 'k', x: Number.NaN },
        { key: 'k', x: Number.POSITIVE_INFINITY },
        { key: 'k', x: undefined },
        { key: 'k', at: new Date(0) },
        { key: 'k', list: [1, undefined] },
        { key: 'k', [Symbol('s')]: 1 },
      ];
      for (const data of notJson) await expect(runner.submit('lookup', data as Json), describeValue(data)).rejects.toThrow(InvalidJobDataError);
      expect(log.count('accepted')).toBe(0);
    });

    it('names NaN and Infinity as themselves in its errors, not as null', async () => {
      const runner = await open(id);
      const timers = (['delayMs', 'timeoutMs', 'attempts', 'priority'] as const).filter((name) => traits.options.includes(name));
      for (const bad of [Number.NaN, Number.POSITIVE_INFINITY]) {
        const attempts: Promise<unknown>[] = [runner.submit('sleep', { ms: bad })];
        for (const name of timers) attempts.push(runner.submit('noop', null, { [name]: bad }));
        for (const error of await Promise.all(attempts.map((attempt) => attempt.catch((e: unknown) => e)))) {
          expect(error).toBeInstanceOf(NeedAQueueError);
          expect((error as Error).message).toContain(String(bad));
          expect((error as Error).message).not.toMatch(/is `?null|got `null`/);
        }
      }
    });

    const timed = traits.options.includes('timeoutMs') || traits.options.includes('delayMs');
    it.runIf(timed)('refuses a duration past the longest Node timer (2^31 − 1 ms) at submit, where Node would fire it at once', async () => {
      const runner = await open(id);
      const log = recordEvents(runner);
      const timers: SubmitOptions[] = [];
      for (const ms of [MAX_TIMER_MS + 1, 1e20]) {
        if (traits.options.includes('timeoutMs')) timers.push({ timeoutMs: ms });
        if (traits.options.includes('delayMs')) timers.push({ delayMs: ms });
        if (traits.options.includes('backoff')) timers.push({ attempts: 2, backoff: { type: 'fixed', delayMs: ms } });
      }
      for (const options of timers) await expect(runner.submit('sleep', { ms: 300 }, options), JSON.stringify(options)).rejects.toThrow(InvalidOptionError);
      expect(log.count('accepted')).toBe(0);
    });

    it.runIf(traits.options.includes('timeoutMs'))('runs a job to the end under a timeoutMs at the longest Node timer', async () => {
      const runner = await open(id);
      const log = recordEvents(runner);
      const ticket = await runner.submit('sleep', { ms: 300 }, { timeoutMs: MAX_TIMER_MS });
      await log.waitFor('completed', 1, { jobId: ticket.id });
      expect(log.count('failed', ticket.id)).toBe(0);
    });

    it.runIf(traits.result)('refuses a result wait past the longest Node timer', async () => {
      const runner = await open(id);
      const ticket = await runner.submit('sleep', { ms: 300 });
      await expect(ticket.result({ timeoutMs: MAX_TIMER_MS + 1 })).rejects.toThrow(InvalidOptionError);
      await expect(ticket.result({ timeoutMs: 10_000 })).resolves.toEqual({ slept: 300 });
    });

    it.runIf(runnerOptions.includes('concurrency'))('refuses a concurrency past MAX_CONCURRENCY at creation', async () => {
      await expect(createRunner(id, { ...conformanceOptions(id), concurrency: MAX_CONCURRENCY + 1 })).rejects.toThrow(InvalidOptionError);
    });

    it.runIf(traits.retries)('refuses attempts past MAX_ATTEMPTS', async () => {
      const runner = await open(id);
      await expect(runner.submit('noop', null, { attempts: MAX_ATTEMPTS + 1 })).rejects.toThrow(InvalidOptionError);
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

    it('refuses a runner option or tuning key it cannot honour with UnsupportedOptionError', async () => {
      const options = { ...conformanceOptions(id), tuning: { ...conformanceOptions(id).tuning, noSuchKnob: 1 } };
      await expect(createRunner(id, options)).rejects.toThrow(UnsupportedOptionError);
      await expect(createRunner(id, { ...conformanceOptions(id), noSuchOption: 1 } as RunnerOptions)).rejects.toThrow(UnsupportedOptionError);
    });

    it('refuses a bad value of a runner option it takes with InvalidOptionError', async () => {
      const expected = runnerOptions.includes('concurrency') ? InvalidOptionError : UnsupportedOptionError;
      await expect(createRunner(id, { ...conformanceOptions(id), concurrency: 0 })).rejects.toThrow(expected);
    });
  });

  describe('timeouts (submit option timeoutMs)', () => {
    const timeouts = traits.options.includes('timeoutMs');

    it.runIf(!timeouts)('refuses timeoutMs', async () => {
      const runner = await open(id);
      await expect(runner.submit('hang', null, { timeoutMs: 100 })).rejects.toBeInstanceOf(UnsupportedOptionError);
    });

    it.runIf(timeouts)('fails a hanging job after timeoutMs', async () => {
      const runner = await open(id);
      const log = recordEvents(runner);
      const ticket = await runner.submit('hang', null, { timeoutMs: 200 });
      await log.waitFor('failed', 1, { jobId: ticket.id });
      if (traits.result) await expect(ticket.result()).rejects.toBeInstanceOf(JobFailedError);
    });
  });
});
