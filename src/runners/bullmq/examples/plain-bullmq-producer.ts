// Feeding a `need-a-queue worker` with plain BullMQ, no kit code: what the README shows, run
// by its test against a real worker. A job is a catalogue name and its data, exactly as
// `queue.add(name, data)` stores it; the only thing to match is the queue's namespace (the
// worker's `--namespace`, by default the prefix `need-a-queue`, where BullMQ would use `bull`).
// Run it: npx tsx src/runners/bullmq/examples/plain-bullmq-producer.ts <redis-url> [queue]

import { pathToFileURL } from 'node:url';
import { Queue } from 'bullmq';

/** Adds a `sleep` and a `fail` job (retried once) to `name` on the Redis at host:port; returns their ids. */
export async function addPlainJobs(host: string, port: number, name: string): Promise<string[]> {
  // #region plain-bullmq
  const queue = new Queue(name, { connection: { host, port }, prefix: 'need-a-queue' });
  const sleep = await queue.add('sleep', { ms: 100 });
  const fail = await queue.add('fail', { times: 1 }, { attempts: 2 });
  await queue.close();
  // #endregion plain-bullmq
  return [sleep.id ?? '', fail.id ?? ''];
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const url = new URL(process.argv[2] ?? 'redis://127.0.0.1:6379');
  const ids = await addPlainJobs(url.hostname, Number(url.port || 6379), process.argv[3] ?? 'need-a-queue');
  console.log(`added jobs ${ids.join(', ')}`);
}
