// `web-server`: the question a Node team asks before adding jobs to an API process: "will our
// API slow down?". A real node:http server in this process (where an in-process runner's jobs
// run) answers requests sent at a fixed rate by a load generator in a worker thread of its own
// (web-load.ts: open loop, latency from each request's intended send time, so a blocked loop
// is charged for every request that waited behind it). Each runner works through batches of
// cpu jobs, then of sleep jobs, back to back for a window; the requests meant to go out inside
// that window give request p50/p99/max per runner, beside an `idle` row: the same server and
// load with no jobs at all.
//
// Where the jobs run decides the answer: in-process runners and a BullMQ Worker created in this
// process run them on the server's event loop; the worker pool runs them on threads. Each row
// says which, from the runner's declared isolation. The next batch starts once the server has
// answered every request sent before this one ended (a shared counter of requests sent, beside
// the server's count of answers; at most 1 s), as when the next batch arrives by I/O a moment
// later: with a fixed gap (2 ms, or 10 ms on a busy machine) the requests held up by one batch
// of cpu jobs were still being accepted when the next began, and a p99 spanned two batches,
// which measured the harness, not the runner.

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import type { Json, Runner, RunnerTraits } from '../../src/contract.ts';
import { describeRunner, isRunnerId } from '../../src/runners/registry.ts';
import { drain, now } from '../drive.ts';
import { jsonNotes } from '../results.ts';
import { closeRunner, guarded, openRunner } from '../subjects.ts';
import type { BenchContext, Measurement, Profile, Scenario } from '../types.ts';
import { windowFigures, type LoadMessage, type LoadRecords, type WindowFigures } from './web-window.ts';

const CONCURRENCY = 50;
/** How long the next batch waits at most for the server to catch up. */
const CATCH_UP_MS = 1000;

export function webServerPlan(profile: Profile): { readonly ratePerSecond: number; readonly windowMs: number; readonly repeats: number } {
  // The same rate and batches in both profiles, so a quick figure means what a full one does;
  // full measures longer windows, three times.
  return profile === 'full' ? { ratePerSecond: 500, windowMs: 3000, repeats: 3 } : { ratePerSecond: 500, windowMs: 250, repeats: 1 };
}

// #region batches
/**
 * What each runner works through while the server answers, batch after batch for the window:
 * 50 cpu jobs are 250 ms of CPU; 250 sleep jobs keep 50 in flight for several rounds.
 */
export const WEB_BATCHES = [
  { job: 'cpu', data: { ms: 5 }, label: 'cpu 5ms', batch: 50 },
  { job: 'sleep', data: { ms: 5 }, label: 'sleep 5ms', batch: 250 },
] as const satisfies readonly { job: string; data: Json; label: string; batch: number }[];
// #endregion batches

/** The subject and case of the row with no jobs, for scale. */
export const IDLE = { subject: 'idle', case: 'no jobs' } as const;

/** Where a runner's jobs run, as the row says it: the answer to "does it share my server's loop?". */
export function whereJobsRun(traits: RunnerTraits): string {
  if (traits.isolation === 'thread') return 'worker threads';
  if (traits.isolation === 'process') return 'worker processes';
  return traits.durable ? "the server's event loop (its BullMQ Worker is in this process)" : "the server's event loop";
}

/** The server under test: answers every request with a small JSON body, and counts them. */
async function startServer(): Promise<{ readonly url: string; answered(): number; close(): Promise<void> }> {
  let answered = 0;
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"ok":true}');
    answered++;
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    answered: () => answered,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The load generator thread: start() requests at a rate, stop() and get what each request did. */
class LoadGenerator {
  private constructor(
    private readonly worker: Worker,
    private readonly counter: Int32Array,
  ) {}

  static async start(): Promise<LoadGenerator> {
    // Requests sent so far, counted by the thread as it sends them: readable here even while
    // the thread's messages would wait.
    const counter = new Int32Array(new SharedArrayBuffer(4));
    const worker = new Worker(new URL('./web-load-entry.js', import.meta.url), { workerData: { sent: counter } });
    try {
      await bounded(once<{ type: 'ready' }>(worker, 'ready'), 30_000, 'the load generator thread did not start within 30 s');
    } catch (error) {
      await worker.terminate();
      throw error;
    }
    return new LoadGenerator(worker, counter);
  }

  /** Requests sent since the thread started. */
  sent(): number {
    return Atomics.load(this.counter, 0);
  }

  /** Requests at `ratePerSecond` while `work` runs; the figures of those meant to go out during it. */
  async during(url: string, ratePerSecond: number, work: () => Promise<number>): Promise<{ figures: WindowFigures; windowMs: number; jobs: number }> {
    const records = once<LoadRecords>(this.worker, 'records');
    this.post({ type: 'start', url, ratePerSecond });
    // A short lead-in, so the window starts with the generator already on its schedule.
    await sleep(20);
    const from = now();
    const jobs = await work();
    const to = now();
    const graceMs = 5000;
    this.post({ type: 'stop', graceMs });
    const load = await bounded(records, graceMs + 10_000, 'the load generator thread did not report within 15 s');
    return { figures: windowFigures(load, from, to), windowMs: to - from, jobs };
  }

  private post(message: LoadMessage): void {
    this.worker.postMessage(message);
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}

function once<T extends { type: string }>(worker: Worker, type: T['type']): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: { type?: unknown }) => {
      if (message.type !== type) return;
      off();
      resolve(message as T);
    };
    const onError = (error: Error) => {
      off();
      reject(error);
    };
    const onExit = (code: number) => {
      off();
      reject(new Error(`the load generator thread exited with code ${code}`));
    };
    const off = () => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
  });
}

async function bounded<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  const timeout = sleep(ms, undefined, { ref: false }).then(() => {
    throw new Error(message);
  });
  return Promise.race([promise, timeout]);
}

interface Window {
  readonly figures: WindowFigures;
  readonly windowMs: number;
  readonly jobs: number;
}

function push(out: Measurement[], subject: string, label: string, windows: readonly Window[], context: Record<string, string | number | undefined>, ratePerSecond: number): void {
  const measured = windows.filter((w) => w.figures.requests > 0);
  if (measured.length === 0) return;
  for (const [key, metric] of [
    ['p50', 'request p50'],
    ['p99', 'request p99'],
    ['max', 'request max'],
  ] as const) {
    out.push({
      scenario: 'web-server',
      subject,
      case: label,
      metric,
      unit: 'ms',
      better: 'lower',
      samples: measured.map((w) => w.figures.latency[key]),
      notes: jsonNotes({
        ratePerSecond,
        // Per window, the fewest: every window had at least this many behind its figures.
        requests: Math.min(...measured.map((w) => w.figures.requests)),
        unanswered: measured.reduce((sum, w) => sum + w.figures.unanswered, 0),
        windowMs: Math.round(Math.min(...measured.map((w) => w.windowMs))),
        jobsDone: Math.min(...measured.map((w) => w.jobs)),
        ...context,
      }),
    });
  }
}

type Server = Awaited<ReturnType<typeof startServer>>;

/** Waits until the server has answered every request sent so far (at most CATCH_UP_MS). */
async function catchUp(load: LoadGenerator, server: Server): Promise<void> {
  const target = load.sent();
  const until = now() + CATCH_UP_MS;
  do await sleep(1);
  while (server.answered() < target && now() < until);
}

async function runnerRows(id: string, context: BenchContext, load: LoadGenerator, server: Server, out: Measurement[]): Promise<void> {
  const plan = webServerPlan(context.profile);
  const opened = await openRunner(id, context, { concurrency: CONCURRENCY });
  if ('skipped' in opened) return context.skip(id, opened.skipped.reason, opened.skipped.fix);
  const runner: Runner = opened.runner;
  try {
    for (const b of WEB_BATCHES) {
      const windows: Window[] = [];
      for (let r = 0; r < plan.repeats && !context.signal.aborted; r++) {
        context.progress(`web-server ${id} ${b.label}: ${plan.ratePerSecond} requests/s for ${plan.windowMs} ms, run ${r + 1} of ${plan.repeats}`);
        windows.push(
          await load.during(server.url, plan.ratePerSecond, async () => {
            const until = now() + plan.windowMs;
            let jobs = 0;
            do {
              const done = await drain(runner, b.job, b.data, b.batch);
              jobs += done.completed + done.failed;
              await catchUp(load, server);
            } while (now() < until && !context.signal.aborted);
            return jobs;
          }),
        );
      }
      // `jobs` is the batch: the workload each figure answers to (compare checks it matches).
      push(out, id, b.label, windows, { jobs: b.batch, concurrency: opened.unbounded === true ? undefined : CONCURRENCY, jobsRunOn: whereJobsRun(describeRunner(id).traits), note: opened.note }, plan.ratePerSecond);
    }
  } finally {
    await closeRunner(runner);
  }
}

export const webServer: Scenario = {
  name: 'web-server',
  summary: 'request p50/p99/max of a node:http server in this process, loaded at a fixed rate from another thread, while each runner works through cpu and sleep jobs; an idle row with no jobs',
  async run(context) {
    const out: Measurement[] = [];
    const runners = context.subjects.filter(isRunnerId);
    if (runners.length === 0) return out;
    const plan = webServerPlan(context.profile);
    const server = await startServer();
    let load: LoadGenerator | undefined;
    try {
      context.progress('web-server: starting the load generator thread');
      load = await LoadGenerator.start();
      // Unrecorded: the first window pays for connections and the generator's first compile.
      await load.during(server.url, plan.ratePerSecond, () => sleep(200).then(() => 0));
      const idle: Window[] = [];
      for (let r = 0; r < plan.repeats && !context.signal.aborted; r++) {
        context.progress(`web-server idle: ${plan.ratePerSecond} requests/s for ${plan.windowMs} ms, run ${r + 1} of ${plan.repeats}`);
        idle.push(await load.during(server.url, plan.ratePerSecond, () => sleep(plan.windowMs).then(() => 0)));
      }
      push(out, IDLE.subject, IDLE.case, idle, { jobs: 0 }, plan.ratePerSecond);
      for (const id of runners) {
        if (context.signal.aborted) break;
        const generator = load;
        await guarded(context, id, () => runnerRows(id, context, generator, server, out));
      }
    } finally {
      await load?.close();
      await server.close();
    }
    return out;
  },
};
