// What survives when Redis dies under BullMQ, for each persistence setting: accepted jobs are
// added, redis-server is stopped with a signal and started again on the same files, and the
// jobs still stored are counted, and the id the next job gets. Runs against the kit's private redis-server (src/services).

import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { setTimeout as sleep } from 'node:timers/promises';
import { redisConnection } from '../../src/runners/bullmq/backend.ts';
import { startPrivateRedis, type PrivateRedisOptions } from '../../src/services/index.ts';

export interface PersistenceSetting {
  readonly redis: PrivateRedisOptions;
  /** SIGKILL: the process dies at once (OOM killer, kill -9). SIGTERM: an orderly shutdown. */
  readonly stop: 'SIGKILL' | 'SIGTERM';
}

// #region settings
// redis.conf's default snapshot rules: after 1 h if 1 key changed,
// after 5 min if 100 did, after 1 min if 10 000 did.
const SNAPSHOTS = '3600 1 300 100 60 10000';

export const PERSISTENCE_SETTINGS: readonly PersistenceSetting[] = [
  // Memory only.
  { redis: { appendonly: false, save: '' }, stop: 'SIGKILL' },
  // Snapshots only: Redis's default.
  { redis: { appendonly: false, save: SNAPSHOTS }, stop: 'SIGKILL' },
  { redis: { appendonly: false, save: SNAPSHOTS }, stop: 'SIGTERM' },
  // Append-only file (AOF), fsynced once a second: BullMQ's advice.
  {
    redis: { appendonly: true, appendfsync: 'everysec' },
    stop: 'SIGKILL',
  },
  // Flushed before each write is acknowledged.
  {
    redis: { appendonly: true, appendfsync: 'always' },
    stop: 'SIGKILL',
  },
];
// #endregion settings

/** How the lesson's table names a setting. */
export function settingName({ redis }: PersistenceSetting): string {
  if (redis.appendonly === true) return `AOF, fsync ${redis.appendfsync ?? 'everysec'}`;
  return redis.save === '' ? 'memory only' : 'snapshots (save rules)';
}

export interface PersistenceResult {
  readonly setting: PersistenceSetting;
  readonly accepted: number;
  readonly storedAfterRestart: number;
  /** The id BullMQ gives the next job added after the restart. */
  readonly nextJobId: string;
}

/** Adds `jobs` jobs, stops Redis with the setting's signal, starts it again, counts what is left. */
export async function persistenceTrial(setting: PersistenceSetting, jobs: number): Promise<PersistenceResult> {
  const redis = await startPrivateRedis(setting.redis);
  try {
    const open = (): Queue => new Queue('emails', { connection: redisConnection(redis.url) });
    const producer = open();
    // Each add has resolved: BullMQ has accepted the job, and a caller would move on.
    for (let i = 0; i < jobs; i++) await producer.add('send', { to: `user-${i}@example.com` });
    await producer.close();
    if (setting.redis.appendonly === true) await untilFsyncCaughtUp(redis.url);
    await redis.kill(setting.stop);
    await redis.start();
    const reader = open();
    try {
      const storedAfterRestart = await reader.getJobCountByTypes('waiting');
      const next = await reader.add('send', { to: 'after-restart@example.com' });
      return { setting, accepted: jobs, storedAfterRestart, nextJobId: next.id ?? '' };
    } finally {
      await reader.close();
    }
  } finally {
    await redis.stop();
  }
}

/**
 * Waits until no background fsync of the append-only file is running. While one runs (a busy
 * disk), `everysec` Redis holds new writes back in its own memory for up to two seconds, and a
 * process kill in that window loses them: the trial kills once they have reached the OS, so it
 * shows what a kill costs on a disk that keeps up, and the lesson says what it costs on one that
 * does not. Redis flushes held-back writes before it answers the next command, so once INFO says
 * no fsync is pending, every accepted write has been handed to the OS.
 */
async function untilFsyncCaughtUp(url: string, timeoutMs = 10_000): Promise<void> {
  const client = new Redis(url, { maxRetriesPerRequest: 1, lazyConnect: true });
  try {
    await client.connect();
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const info = await client.info('persistence');
      if (/^aof_pending_bio_fsync:0\r?$/m.test(info)) return;
      if (Date.now() > deadline) throw new Error(`Redis's background fsync did not catch up within ${timeoutMs} ms (is the disk stalled?)`);
      await sleep(20);
    }
  } finally {
    client.disconnect();
  }
}
