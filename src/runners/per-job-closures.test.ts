// A runner's cost per job includes the functions it makes per job. Under tsx, how the kit runs,
// a function stored under a name is named with an Object.defineProperty when it is made, which
// costs more than the rest of a noop job's bookkeeping: one per job put task and stage well
// behind p-queue on noop jobs (bench/micro/peer-ratios.ts shows it). This holds every runner to
// none per job, counted in a real tsx process (the BullMQ ones on this run's Redis and PostgreSQL).

import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { testDatabaseUrl, testRedisUrl } from '../testing/services.ts';

const script = fileURLToPath(new URL('./fixtures/count-named-closures.ts', import.meta.url));

it('no runner names a function per job under tsx (1,000 noop jobs each)', async () => {
  const env = { ...process.env, NAQ_REDIS_URL: testRedisUrl(), NAQ_DATABASE_URL: testDatabaseUrl() };
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', script], { timeout: 90_000, env });
  const counts = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, number>;
  expect(Object.keys(counts).sort()).toEqual(['bullmq-postgres', 'bullmq-redis', 'fire-and-forget', 'genserver', 'stage', 'task', 'worker-pool']);
  // A few made once (a first timer, a line's first growth) may land in the window; per job is 1,000 or more.
  for (const [id, named] of Object.entries(counts)) expect(named, id).toBeLessThan(20);
});
