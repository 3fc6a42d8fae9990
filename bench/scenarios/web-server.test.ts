// The web-server scenario for real, kept short (quick profile, two runners): a node:http server
// in this process, requests from a thread of their own, while a runner works through cpu jobs.
// On the task runner the jobs run on the server's event loop, so requests wait behind a batch
// of cpu jobs; on the worker pool they run on threads, so the server keeps answering.

import { describe, expect, it } from 'vitest';
import type { RunnerTraits } from '../../src/contract.ts';
import { scenarioContext } from '../test-fixtures.ts';
import type { Measurement } from '../types.ts';
import { IDLE, WEB_BATCHES, webServer, whereJobsRun } from './web-server.ts';

const traits = (isolation: RunnerTraits['isolation'], durable: boolean): RunnerTraits => ({ durable, delivery: 'at-most-once', result: true, retries: false, isolation, scope: 'process', options: [] });

describe('whereJobsRun', () => {
  it("says a runner without isolation shares the server's event loop, and a BullMQ Worker in this process too", () => {
    expect(whereJobsRun(traits('none', false))).toBe("the server's event loop");
    expect(whereJobsRun(traits('none', true))).toBe("the server's event loop (its BullMQ Worker is in this process)");
    expect(whereJobsRun(traits('thread', false))).toBe('worker threads');
  });
});

describe('the web-server scenario', () => {
  it('shows requests waiting behind cpu jobs on the loop, and not behind cpu jobs on threads', async () => {
    const { context, skipped } = scenarioContext({ subjects: ['task', 'worker-pool', 'promise-raw'] });
    const out = await webServer.run(context);
    expect(skipped).toEqual([]);
    const figure = (subject: string, kase: string, metric: string): Measurement => {
      const found = out.find((m) => m.subject === subject && m.case === kase && m.metric === metric);
      if (found === undefined) throw new Error(`no ${subject} ${kase} ${metric}`);
      return found;
    };
    const median = (m: Measurement) => m.samples[0] ?? Number.NaN;
    // A row per runner and batch, beside the idle server; the raw baseline is not a runner here.
    expect(new Set(out.map((m) => `${m.subject} · ${m.case}`))).toEqual(new Set([`${IDLE.subject} · ${IDLE.case}`, ...['task', 'worker-pool'].flatMap((s) => WEB_BATCHES.map((b) => `${s} · ${b.label}`))]));
    const taskCpu = figure('task', 'cpu 5ms', 'request p50');
    const poolCpu = figure('worker-pool', 'cpu 5ms', 'request p50');
    // A batch is 50 cpu jobs of 5 ms: 250 ms of CPU on the task runner's loop, so the typical
    // request, arriving part-way through a batch, waits tens of ms at least.
    expect(median(taskCpu)).toBeGreaterThan(50);
    expect(median(poolCpu)).toBeLessThan(median(taskCpu) / 2);
    expect(taskCpu.notes).toMatchObject({ jobs: 50, jobsRunOn: "the server's event loop", unanswered: 0 });
    expect(poolCpu.notes).toMatchObject({ jobsRunOn: 'worker threads' });
    for (const m of out) expect(m.samples.every(Number.isFinite), `${m.subject} ${m.case} ${m.metric}`).toBe(true);
  }, 60_000);
});
