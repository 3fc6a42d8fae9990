// The services layer, one import away: where Redis and PostgreSQL come from (hub.ts), the
// private servers themselves (redis.ts, postgres.ts), and the checks of user-given URLs.
// Imports nothing above it, so imports run one way: runners and bench import this, never the
// reverse.

export { createServiceHub, REDIS_WAYS_OUT, type PostgresEndpoint, type RedisEndpoint, type ServiceHub, type ServiceHubOptions } from './hub.ts';
export { startPrivateRedis, type PrivateRedis, type PrivateRedisOptions } from './redis.ts';
export { startEmbeddedPostgres, type EmbeddedPostgresOptions, type PrivateEmbeddedPostgres } from './postgres.ts';
export { checkDatabaseUrl, checkRedisUrl } from './verify.ts';
