// A child process for cleanup.test.ts: starts one private server, prints where it is as
// one JSON line, then ends the way the test asks, so the test can look for leftovers.
//   argv: <redis|postgres> <natural|exit|throw|reject|wait|drain>
// 'wait' keeps running until the test signals it (SIGINT, SIGTERM or SIGKILL).
// 'drain' (redis) has its own SIGTERM handler, like a CLI draining its runners: it PINGs
// the server, prints the answer, then exits.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { startEmbeddedPostgres } from './postgres.ts';
import { startPrivateRedis } from './redis.ts';

const [kind, ending] = process.argv.slice(2);

async function pingThenExit(url: string): Promise<void> {
  const client = new Redis(url, { maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => undefined);
  console.log(await client.ping().catch((error: unknown) => String(error)));
  client.disconnect();
  process.exit(0);
}

async function main(): Promise<void> {
  if (kind === 'redis') {
    const redis = await startPrivateRedis();
    console.log(JSON.stringify({ pid: redis.pid, dir: redis.dir, port: redis.port }));
    if (ending === 'drain') process.on('SIGTERM', () => void pingThenExit(redis.url));
  } else {
    const postgres = await startEmbeddedPostgres();
    const pid = Number.parseInt(readFileSync(join(postgres.dir, 'postmaster.pid'), 'utf8').split('\n')[0] ?? '', 10);
    console.log(JSON.stringify({ pid, dir: postgres.dir, port: postgres.port }));
  }
  switch (ending) {
    case 'natural':
      return; // nothing holds the event loop: the process ends by itself
    case 'exit':
      process.exit(0);
      break;
    case 'throw':
      setTimeout(() => {
        throw new Error('an uncaught exception, on purpose');
      }, 10);
      break;
    case 'reject':
      void Promise.reject(new Error('an unhandled rejection, on purpose'));
      break;
    default:
      setInterval(() => undefined, 1_000);
  }
}

await main();
