// worker-pool: catalogue jobs on a piscina pool of worker threads, so a `cpu` job does not
// block the event loop and a `crash` job takes down one thread, not the process.
//
// How it works: submit validates in the main thread, then hands piscina `{ id, job, data }`;
// a worker (pool-worker.ts, loaded through pool-entry.js for tsx) runs the job by name.
// Piscina replaces a thread that dies, and rejects that thread's job with the error, so a
// crash is an ordinary failed job here. `timeoutMs` aborts the job through piscina, which
// terminates the thread running it (the only way to stop a CPU-bound job) and starts another.
//
// `concurrency` is how many jobs run at once, as for every runner; it is NOT the thread
// count, and the runner holds the line itself (bounded by `maxQueue`, QueueFullError past
// it): a job goes to piscina only when one of the `concurrency` slots is free. Threads are
// capped at the cores (a thread per job at c=50 meant 50 threads, each loading tsx, on 2
// cores: the pool starved the main thread and ran noop jobs at a few hundred a second), and
// each thread takes ceil(concurrency / threads) jobs at once, which lets `sleep` jobs overlap
// inside a thread while `cpu` jobs still get a core each. The price: a thread that dies of a
// `crash` fails every job it was running. A job with `timeoutMs` runs alone on its thread, so
// the termination that stops it takes nobody else.
//
// A new thread is slow to start: it registers tsx and compiles the catalogue before it can
// take a job (1-3 s on a loaded 2-core machine). So after a death the jobs behind it must not
// wait for the replacement: the pool keeps one spare thread beyond the cores (the slots, not
// the threads, bound how many jobs run), and the balancer gives a job only to a thread that
// has said it is ready (piscina's own one prefers an idle thread, and a thread still starting
// is idle: it took the queued jobs while a live thread sat free).
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { BroadcastChannel } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { defaults, type Json, type Runner, type RunnerOptions, type StopReport, type SubmitOptions, type Ticket } from '../../contract.ts';
import { QueueFullError, RunnerStoppedError, TimeoutError } from '../../errors.ts';
import { validateJob } from '../../jobs/catalogue.ts';
import { RingQueue } from '../../otp/ring-queue.ts';
import { EventHub, checkRunnerOptions, errorSink, checkSubmitOptions, concurrencyOption, newJobId, positiveInteger, resultOf, stopOnce, toError, until, type Outcome } from '../support.ts';
import { descriptor } from './descriptor.ts';
import type { PoolTask } from './pool-worker.ts';

const { traits } = descriptor;

const entry = fileURLToPath(new URL('./pool-entry.js', import.meta.url));
let poolCount = 0;
/** How long creation waits for the threads to start; past it the runner starts anyway and the jobs wait for them. */
const WARM_UP_MS = 60_000;


/**
 * An accepted job on the main thread. Its AbortController is made only for a job with a
 * timeout (piscina terminates that job's thread through it); any other job is abandoned by
 * marking it: one waiting in line is skipped, one running is left to piscina.
 */
class PoolJob {
  readonly id: string;
  readonly job: string;
  readonly data: Json;
  started = false;
  /** Why the job was abandoned or timed out, once it was. */
  aborted: Error | undefined;
  readonly controller: AbortController | undefined;
  timer: NodeJS.Timeout | undefined;
  /** Set while the job waits in line: rejects its wait at once. */
  leaveLine: ((reason: Error) => void) | undefined;

  constructor(id: string, job: string, data: Json, abortable: boolean) {
    this.id = id;
    this.job = job;
    this.data = data;
    this.controller = abortable ? new AbortController() : undefined;
  }

  abort(reason: Error): void {
    if (this.aborted !== undefined) return;
    this.aborted = reason;
    this.controller?.abort(reason);
    this.leaveLine?.(reason);
  }

  /** How it failed: an abort rejects with piscina's AbortError (or, in line, with the reason); the reason we gave is the real cause. */
  failure(error: unknown): Outcome {
    return { ok: false, error: this.aborted ?? toError(error) };
  }
}

type Balancer = NonNullable<NonNullable<ConstructorParameters<typeof Piscina>[0]>['loadBalancer']>;

/**
 * piscina's least-busy choice, over the threads that are ready only (`ready` holds their ids).
 * A thread running an abortable job (one with `timeoutMs`) takes no other, so its termination
 * takes nobody else.
 */
function readyLeastBusy(ready: ReadonlySet<number>, perThread: number): Balancer {
  return (task, workers) => {
    let best: (typeof workers)[number] | null = null;
    for (const worker of workers) {
      if (!ready.has(worker.id) || worker.terminating || worker.destroyed || worker.isRunningAbortableTask) continue;
      if (worker.currentUsage === 0) return worker;
      if (!task.isAbortable && worker.currentUsage < perThread && (best === null || worker.currentUsage < best.currentUsage)) best = worker;
    }
    return best;
  };
}

/**
 * `concurrency` slots and the FIFO line of jobs waiting for one (a ring buffer: O(1) in and out).
 * A job abandoned while waiting rejects at once and is skipped when its turn comes.
 */
function slots(concurrency: number) {
  let running = 0;
  const line = new RingQueue<{ readonly entry: PoolJob; readonly start: () => void }>();
  return {
    waiting: () => line.size,
    /** Takes a free slot now, if there is one: most jobs, and they skip a promise. */
    take(): boolean {
      if (running >= concurrency) return false;
      running++;
      return true;
    },
    /** Waits in line for a slot. */
    wait(entry: PoolJob): Promise<void> {
      return new Promise<void>((resolve, reject) => {
        entry.leaveLine = reject;
        line.push({ entry, start: resolve });
      });
    },
    /** A job's slot is free: the first in line still wanted takes it. */
    release(): void {
      for (let next = line.take(); next !== undefined; next = line.take()) {
        if (next.entry.aborted !== undefined) continue;
        next.entry.leaveLine = undefined;
        next.start();
        return;
      }
      running--;
    },
  };
}

export function createWorkerPoolRunner(options: RunnerOptions): Promise<Runner> {
  checkRunnerOptions(descriptor, options);
  const concurrency = concurrencyOption(options.concurrency, descriptor);
  const threads = Math.min(concurrency, availableParallelism());
  const perThread = Math.ceil(concurrency / threads);
  const maxQueue = positiveInteger('maxQueue', options.maxQueue, defaults.maxQueue);
  const channelName = `need-a-queue/worker-pool/${process.pid}/${++poolCount}`;
  const ready = new Set<number>();
  // atomics 'disabled': with the default, an idle-looking thread parks in Atomics.wait between
  // tasks, which freezes the timers of the other jobs sharing that thread. stricterFIFO: a job
  // no ready thread can take goes back to the head of piscina's line, not its tail.
  const pool = new Piscina<PoolTask, Json>({
    filename: entry,
    minThreads: threads + 1,
    maxThreads: threads + 1,
    concurrentTasksPerWorker: perThread,
    atomics: 'disabled',
    stricterFIFO: true,
    loadBalancer: readyLeastBusy(ready, perThread),
  });
  // piscina says 'workerCreate' when a thread is ready for jobs (the first ones at once).
  pool.on('workerCreate', (worker: { id: number }) => ready.add(worker.id));
  pool.on('workerDestroy', (worker: { id: number }) => ready.delete(worker.id));
  const line = slots(concurrency);
  // A thread that dies with no job of ours on it is a background error, not a lost one.
  const onError = errorSink('worker-pool', options.onError);
  pool.on('error', (error: unknown) => onError(error));
  const events = new EventHub();
  const live = new Map<string, PoolJob>();
  const started = new BroadcastChannel(channelName);
  let stopped = false;
  let finished = 0;
  let idle: (() => void) | undefined;

  function markStarted(id: string): void {
    const entryOf = live.get(id);
    if (entryOf === undefined || entryOf.started) return;
    entryOf.started = true;
    events.emit('started', id, entryOf.job, 1);
  }
  started.onmessage = (event) => markStarted(String((event as { data: unknown }).data));
  // The channel alone must not keep the process alive.
  started.unref();

  // A job's end, however it came: the bookkeeping first, so `completed` is out before result() answers.
  function finish(entry: PoolJob, result: Outcome): Outcome {
    clearTimeout(entry.timer);
    // The started message travels on another channel and may arrive after the result.
    markStarted(entry.id);
    if (!live.delete(entry.id)) return result;
    finished++;
    if (result.ok) events.emit('completed', entry.id, entry.job, 1);
    else events.emit('failed', entry.id, entry.job, 1, result.error);
    if (live.size === 0) idle?.();
    return result;
  }

  // Once the job holds a slot. Only a job with a timeout gets a signal: piscina gives an
  // abortable task a thread of its own (it terminates the thread to stop it), so other jobs
  // never share its fate, while jobs without one may share a thread. The thread says `started`
  // only to listeners; without one, finish() marks it.
  function run(entry: PoolJob): Promise<Outcome> {
    const task: PoolTask = { id: entry.id, job: entry.job, data: entry.data, channel: events.listening ? channelName : '' };
    return pool.run(task, entry.controller === undefined ? undefined : { signal: entry.controller.signal }).then(
      (value) => (line.release(), finish(entry, { ok: true, value })),
      (error: unknown) => (line.release(), finish(entry, entry.failure(error))),
    );
  }

  // Per job, no named closure: under tsx (how the kit runs) each one costs an
  // Object.defineProperty of its name (per-job-closures.test.ts), so the job's functions are
  // defined once, above, and take the job.
  function submit(job: string, data: Json, submitOptions?: SubmitOptions): Ticket {
    if (stopped) throw new RunnerStoppedError('worker-pool');
    checkSubmitOptions('worker-pool', traits, submitOptions);
    validateJob(job, data);
    if (line.waiting() >= maxQueue) throw new QueueFullError('the worker pool\'s line', maxQueue);
    const id = newJobId();
    const timeoutMs = submitOptions?.timeoutMs;
    const entry = new PoolJob(id, job, data, timeoutMs !== undefined);
    live.set(id, entry);
    events.emit('accepted', id, job, 1);
    if (timeoutMs !== undefined) entry.timer = setTimeout(() => entry.abort(new TimeoutError(`job \`${job}\``, timeoutMs)), timeoutMs);
    const outcome: Promise<Outcome> = line.take()
      ? run(entry)
      : line.wait(entry).then(
          () => run(entry),
          (error: unknown) => finish(entry, entry.failure(error)),
        );
    return {
      id,
      job,
      result(resultOptions) {
        return resultOf(outcome, job, id, resultOptions);
      },
    };
  }

  const runner: Runner = {
    id: 'worker-pool',
    traits,
    submit(job, data, submitOptions) {
      try {
        return Promise.resolve(submit(job, data, submitOptions));
      } catch (error) {
        return Promise.reject(toError(error));
      }
    },
    onEvent: (listener) => events.on(listener),
    stop: stopOnce(async (drain, timeoutMs): Promise<StopReport> => {
      stopped = true;
      const finishedBefore = finished;
      if (drain && live.size > 0) await until(new Promise<void>((resolve) => (idle = resolve)), timeoutMs);
      const abandoned = [...live.values()];
      live.clear();
      const stopping = new RunnerStoppedError('worker-pool');
      for (const entry of abandoned) entry.abort(stopping);
      started.close();
      await pool.destroy();
      return { finished: finished - finishedBefore, abandoned: abandoned.length, stored: 0 };
    }),
  };
  // Start every thread now, the spare too (each registers tsx and compiles the catalogue first,
  // seconds on a loaded machine): the runner is ready when its threads are, so the spare is warm
  // before a death needs it. A thread that cannot load fails the runner's creation.
  const warmUp = Array.from({ length: threads + 1 }, () => pool.run({ id: 'warm-up', job: 'noop', data: null, channel: channelName }));
  return until(Promise.all(warmUp), WARM_UP_MS).then(
    () => runner,
    async (error: unknown) => {
      started.close();
      await pool.destroy();
      throw toError(error);
    },
  );
}
