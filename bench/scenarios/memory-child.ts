// Child process for the `memory` scenario: one subject per process, so one runner's heap does
// not count against the next. Creates the runner (or a peer's line: p-queue) at concurrency 1,
// submits N `sleep 60000` jobs (so none can finish: they are all pending or waiting), and
// prints one JSON line: peak RSS and heap growth over the idle runner. Run with --expose-gc
// for a steady baseline.
//   node --expose-gc --import tsx bench/scenarios/memory-child.ts <runner or peer> <N> [redisUrl] [databaseUrl]

import { createRunner, isRunnerId } from '../../src/runners/registry.ts';
import { findBaseline } from '../discover.ts';
import { storeBytes } from './store-size.ts';
import { lineFor } from '../subjects.ts';

const [id = '', count = '0', redisUrl = '', databaseUrl = ''] = process.argv.slice(2);
const jobs = Number(count);
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);

/** What the loop below needs: a submit that resolves on acceptance, and a way to let go. */
async function open(): Promise<{ submit(job: 'sleep', data: { ms: number }): Promise<unknown>; stop(): Promise<unknown> }> {
  if (!isRunnerId(id)) {
    const line = (await findBaseline(id))?.hold?.(1);
    if (line === undefined) throw new Error(`${id} is neither a runner nor a peer with a line of its own`);
    return { submit: (job, data) => line.submit(job, data), stop: () => Promise.resolve(line.clear()) };
  }
  // Only runners with storage take a queue name; in-process runners refuse the option.
  const where = {
    ...(redisUrl === '' ? {} : { redisUrl, queue: `bench-memory-${process.pid}` }),
    ...(databaseUrl === '' ? {} : { databaseUrl, queue: `bench-memory-${process.pid}` }),
  };
  // In-process lines are bounded by default (defaults.maxQueue); this scenario asks for N waiting
  // jobs, so a runner that takes `maxQueue` is opened with a line that holds them (the row says so).
  const deep = lineFor(id, jobs);
  const runner = await createRunner(id, { concurrency: 1, ...where, ...deep }).catch(async (error: unknown) => {
    // Runners without a concurrency knob (fire-and-forget) are measured as they are.
    if (error instanceof Error && error.name === 'UnsupportedOptionError') return createRunner(id, { ...where, ...deep });
    throw error;
  });
  return { submit: (job, data) => runner.submit(job, data), stop: () => runner.stop({ drain: false, timeoutMs: 2000 }) };
}

const runner = await open();
gc();
// A queue's jobs wait in its store: how much it holds is read before and after, beside ours.
const storeBefore = await storeBytes(redisUrl, databaseUrl);
const before = process.memoryUsage();
const started = performance.now();
// Sampled after each batch: resourceUsage().maxRSS would include the loader's start-up peak.
let peakRss = before.rss;
let accepted = 0;
let blocked = false;
for (let sent = 0; sent < jobs && !blocked; sent += 256) {
  const batch: Promise<unknown>[] = [];
  for (let i = sent; i < Math.min(jobs, sent + 256); i++) batch.push(runner.submit('sleep', { ms: 60_000 }).then(() => void accepted++));
  // A runner with backpressure (stage) holds submit until there is room: that is its answer
  // to "N jobs pending", so stop after 1 s of no progress and report how many it took. The
  // slowest store here takes a batch of 256 in ~15 ms (one addBulk on PostgreSQL).
  const timer = new Promise<'blocked'>((resolve) => setTimeout(resolve, 1000, 'blocked').unref());
  blocked = (await Promise.race([Promise.all(batch), timer])) === 'blocked';
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}
const submitMs = performance.now() - started;
gc();
const after = process.memoryUsage();
const storeAfter = await storeBytes(redisUrl, databaseUrl);
process.stdout.write(
  JSON.stringify({
    rssBefore: before.rss,
    peakRss,
    rssGrowth: Math.max(0, peakRss - before.rss),
    heapGrowth: Math.max(0, after.heapUsed - before.heapUsed),
    submitMs,
    accepted,
    blocked,
    ...(storeBefore === undefined || storeAfter === undefined ? {} : { storeGrowth: Math.max(0, storeAfter - storeBefore) }),
  }) + '\n',
);
await Promise.race([runner.stop().catch(() => undefined), new Promise((r) => setTimeout(r, 3000))]);
process.exit(0);
