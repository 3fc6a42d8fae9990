// How it works: the last resort for Redis. redis-memory-server can download the Redis
// source and build it with make (once; later runs find the cached binary). The project's
// package.json turns off its postinstall download, so this happens only here, on demand.
// We do not even try without make and a C compiler: that would fail after a download, and
// the user deserves the list of ways out at once.

import type { Which } from './which.ts';
import { messageOf } from '../errors.ts';

export interface BuildResult {
  /** The redis-server binary redis-memory-server built or had cached. */
  readonly binary?: string;
  /** Why there is none, for the error message. */
  readonly reason?: string;
  readonly cause?: unknown;
}

/** A first build takes a minute or two on two cores; past this, something is wrong. */
const BUILD_TIMEOUT_MS = 10 * 60_000;

export async function buildRedisWithMemoryServer(which: Which): Promise<BuildResult> {
  const missing: string[] = [];
  if (which('make') === undefined) missing.push('make');
  if ((which('cc') ?? which('gcc') ?? which('clang')) === undefined) missing.push('a C compiler (cc)');
  if (missing.length > 0) return { reason: `no C toolchain: ${missing.join(' and ')} not on PATH` };
  process.stderr.write('need-a-queue: no redis-server on PATH; redis-memory-server is building Redis from source (once, a minute or two)...\n');
  try {
    const { RedisBinary } = await import('redis-memory-server');
    let timer: NodeJS.Timeout | undefined;
    const binary = await Promise.race([
      RedisBinary.getPath(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no binary after ${BUILD_TIMEOUT_MS / 60_000} minutes`)), BUILD_TIMEOUT_MS);
      }),
    ]).finally(() => clearTimeout(timer));
    return { binary };
  } catch (error) {
    return { reason: `its build failed: ${messageOf(error)}`, cause: error };
  }
}
