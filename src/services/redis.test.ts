import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { InvalidOptionError, ServiceUnavailableError } from '../errors.ts';
import { startPrivateRedis, type PrivateRedis, type PrivateRedisOptions } from './redis.ts';

const started: PrivateRedis[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((redis) => redis.stop()));
});

async function start(options?: PrivateRedisOptions): Promise<PrivateRedis> {
  const redis = await startPrivateRedis(options);
  started.push(redis);
  return redis;
}

async function withClient<T>(url: string, use: (client: Redis) => Promise<T>): Promise<T> {
  const client = new Redis(url, { maxRetriesPerRequest: 1, retryStrategy: () => null });
  try {
    return await use(client);
  } finally {
    client.disconnect();
  }
}

/** redis-server renames its process to `redis-server 127.0.0.1:<port>`. */
function pgrepPort(port: number): string[] {
  try {
    return execFileSync('pgrep', ['-f', `redis-server 127.0.0.1:${port}$`], { encoding: 'utf8' }).trim().split('\n');
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

describe('startPrivateRedis', () => {
  it('starts a redis-server on a free loopback port, never 6379', async () => {
    const redis = await start();
    expect(redis.url).toBe(`redis://127.0.0.1:${redis.port}`);
    expect(redis.port).not.toBe(6379);
    expect(redis.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(await withClient(redis.url, (client) => client.ping())).toBe('PONG');
  });

  it('applies the persistence it was asked for, with noeviction by default', async () => {
    const redis = await start({ appendonly: true, appendfsync: 'always', maxmemory: '64mb' });
    const config = await withClient(redis.url, async (client) => {
      const get = async (key: string): Promise<string | undefined> => ((await client.config('GET', key)) as string[])[1];
      return { appendonly: await get('appendonly'), appendfsync: await get('appendfsync'), save: await get('save'), policy: await get('maxmemory-policy'), maxmemory: await get('maxmemory') };
    });
    expect(config).toEqual({ appendonly: 'yes', appendfsync: 'always', save: '', policy: 'noeviction', maxmemory: String(64 * 1024 * 1024) });
  });

  it('leaves no redis-server and no directory behind after stop(), and stop() is idempotent', async () => {
    const redis = await startPrivateRedis();
    expect(pgrepPort(redis.port)).toHaveLength(1);
    await redis.stop();
    await redis.stop();
    expect(pgrepPort(redis.port)).toEqual([]);
    expect(existsSync(redis.dir)).toBe(false);
  });

  it('kill() waits for the exit, start() brings it back on the same port', async () => {
    const redis = await start();
    const firstPid = redis.pid;
    await redis.kill('SIGTERM');
    expect(redis.pid).toBeUndefined();
    await redis.start();
    expect(redis.pid).not.toBe(firstPid);
    expect(await withClient(redis.url, (client) => client.ping())).toBe('PONG');
  });

  it('refuses bad options with a typed error', async () => {
    await expect(startPrivateRedis({ appendfsync: 'sometimes' as never })).rejects.toBeInstanceOf(InvalidOptionError);
    await expect(startPrivateRedis({ save: '1 1\nslaveof evil 6379' })).rejects.toBeInstanceOf(InvalidOptionError);
  });

  it('names the fix when the binary is missing', async () => {
    const error = await startPrivateRedis({ binary: '/nonexistent/redis-server' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect((error as ServiceUnavailableError).fix).toMatch(/apt-get install redis-server/);
  });
});

describe('a port taken while Redis was down', () => {
  let squatter: Server | undefined;
  afterEach(async () => {
    await new Promise((resolve) => (squatter ? squatter.close(resolve) : resolve(undefined)));
    squatter = undefined;
  });

  it('gives a clear error on restart instead of a hang', async () => {
    const redis = await start();
    await redis.kill('SIGKILL');
    squatter = createServer();
    await new Promise<void>((resolve) => squatter?.listen(redis.port, '127.0.0.1', resolve));
    const error = await redis.start().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect((error as Error).message).toMatch(new RegExp(`port ${redis.port}.*address already in use`));
  });
});

// The failure lab rests on this: what survives a crash depends on the persistence settings.
describe('a key written before SIGKILL, after the restart', () => {
  async function writeKillRestartRead(options: PrivateRedisOptions): Promise<string | null> {
    const redis = await start(options);
    await withClient(redis.url, (client) => client.set('job:1', 'accepted'));
    await redis.kill('SIGKILL');
    await redis.start();
    return withClient(redis.url, (client) => client.get('job:1'));
  }

  it('survives with appendonly yes, appendfsync always', async () => {
    expect(await writeKillRestartRead({ appendonly: true, appendfsync: 'always' })).toBe('accepted');
  });

  it('is lost with appendonly no and no snapshots', async () => {
    expect(await writeKillRestartRead({ appendonly: false, save: '' })).toBeNull();
  });
});
