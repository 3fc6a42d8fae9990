// `options.tuning` of the BullMQ runners, checked: which keys each backend takes (from its
// descriptor), their ranges, and the namespace every Queue / Worker of the kit lives in.
//
//   consume          boolean, default true. false = submit only; another runner or a worker
//                    process (`need-a-queue worker`) runs the jobs. Conformance uses this to
//                    prove durability: submit to one instance, complete on a fresh one.
//   lockDuration, stalledInterval, maxStalledCount, drainDelay   passed to the BullMQ Worker (ms).
//   prefix (redis) / schema (postgres)   namespace; defaults `need-a-queue` / `need_a_queue`,
//                    never BullMQ's own defaults, so a user's other queues are not touched.
//   cleanup          boolean, default true: obliterate the queue on stop when nothing is stored.

import { MAX_TIMER_MS, type Json } from '../../contract.ts';
import { InvalidOptionError, UnsupportedOptionError } from '../../errors.ts';
import type { BullmqBackendKind } from './backend.ts';
import { postgresDescriptor, redisDescriptor } from './descriptor.ts';

export interface BullmqTuning {
  readonly consume: boolean;
  readonly lockDuration?: number;
  readonly stalledInterval?: number;
  readonly maxStalledCount?: number;
  readonly drainDelay?: number;
  readonly namespace: string;
  readonly cleanup: boolean;
}

/** A tuning integer; BullMQ sets timers from these, so none may pass MAX_TIMER_MS. */
function tuningNumber(tuning: Readonly<Record<string, Json>>, name: string, min: number): number | undefined {
  const value = tuning[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > MAX_TIMER_MS) {
    throw new InvalidOptionError(`tuning.${name}`, `an integer from ${min} to ${MAX_TIMER_MS}`, value);
  }
  return value;
}

function tuningBoolean(tuning: Readonly<Record<string, Json>>, name: string, fallback: boolean): boolean {
  const value = tuning[name];
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new InvalidOptionError(`tuning.${name}`, 'true or false', value);
  return value;
}

const NAMESPACE = /^[a-z_][a-z0-9_-]{0,40}$/;

export function descriptorFor(kind: BullmqBackendKind): typeof redisDescriptor | typeof postgresDescriptor {
  return kind === 'redis' ? redisDescriptor : postgresDescriptor;
}

export function parseTuning(kind: BullmqBackendKind, tuning: Readonly<Record<string, Json>> = {}): BullmqTuning {
  const descriptor = descriptorFor(kind);
  const nsName = kind === 'redis' ? 'prefix' : 'schema';
  for (const name of Object.keys(tuning)) {
    if (!descriptor.tuning.includes(name)) throw new UnsupportedOptionError(descriptor.id, `tuning.${name}`, descriptor.tuning.map((k) => `tuning.${k}`));
  }
  const namespace = tuning[nsName] ?? (kind === 'redis' ? 'need-a-queue' : 'need_a_queue');
  // PostgreSQL schemas are quoted identifiers; keep both to a safe, portable alphabet.
  if (typeof namespace !== 'string' || !NAMESPACE.test(namespace) || (kind === 'postgres' && namespace.includes('-'))) {
    throw new InvalidOptionError(`tuning.${nsName}`, kind === 'redis' ? 'a short name of a-z, 0-9, _ and -' : 'a short name of a-z, 0-9 and _', namespace);
  }
  return {
    consume: tuningBoolean(tuning, 'consume', true),
    lockDuration: tuningNumber(tuning, 'lockDuration', 100),
    stalledInterval: tuningNumber(tuning, 'stalledInterval', 50),
    maxStalledCount: tuningNumber(tuning, 'maxStalledCount', 0),
    drainDelay: tuningNumber(tuning, 'drainDelay', 1),
    namespace,
    cleanup: tuningBoolean(tuning, 'cleanup', true),
  };
}
