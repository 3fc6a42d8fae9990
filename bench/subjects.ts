// Opening a runner for a scenario: services first (only those the runner needs), then the
// runner through the registry. A runner that cannot run here (no Redis, no PostgreSQL, an
// option it refuses) becomes a Skipped row with the reason and the fix, never a silent gap.

import type { Runner, RunnerOptions } from '../src/contract.ts';
import { NeedAQueueError, UnsupportedOptionError, messageOf } from '../src/errors.ts';
import { createRunner, descriptors, isRunnerId, servicesFor } from '../src/runners/registry.ts';
import type { BenchContext } from './types.ts';

/** `unbounded`: the runner has no concurrency limit and was opened without one. */
export type Opened = { readonly runner: Runner; readonly note?: string; readonly unbounded?: boolean } | { readonly skipped: { readonly reason: string; readonly fix: string } };

/** The note on every figure of a runner measured without a concurrency limit (it has none). */
export const UNBOUNDED_NOTE = 'no concurrency limit (runner has none)';

let queueSerial = 0;

/** Creates runner `id` with `options` plus service URLs and a queue name of its own. */
export async function openRunner(id: string, context: BenchContext, options: RunnerOptions): Promise<Opened> {
  if (!isRunnerId(id)) return { skipped: { reason: `${id} is not a runner`, fix: 'use an id from `need-a-queue runners`' } };
  try {
    const needs = servicesFor(id);
    const base: RunnerOptions = {
      ...(needs.includes('redis') ? { redisUrl: await context.services.redisUrl() } : {}),
      ...(needs.includes('postgres') ? { databaseUrl: await context.services.databaseUrl() } : {}),
      // Only runners with storage take a queue name; in-process runners refuse the option.
      ...(needs.length > 0 ? { queue: `bench-${process.pid}-${Date.now()}-${++queueSerial}` } : {}),
    };
    try {
      return { runner: await createRunner(id, { ...base, ...options }) };
    } catch (error) {
      // A runner without a concurrency knob (fire-and-forget starts every job at once) is
      // measured as it is, and the row says so.
      if (!(error instanceof UnsupportedOptionError) || options.concurrency === undefined) throw error;
      const { concurrency: _dropped, ...rest } = options;
      return { runner: await createRunner(id, { ...base, ...rest }), note: UNBOUNDED_NOTE, unbounded: true };
    }
  } catch (error) {
    if (error instanceof NeedAQueueError) return { skipped: { reason: error.message, fix: error.fix } };
    throw error;
  }
}

/**
 * `{ maxQueue: jobs }` for a runner whose line is bounded (defaults.maxQueue), else nothing: a
 * scenario that submits `jobs` at once without waiting asks for a line that holds them.
 */
export function lineFor(id: string, jobs: number): RunnerOptions {
  return descriptors.some((d) => d.id === id && (d.options as readonly string[]).includes('maxQueue')) ? { maxQueue: jobs } : {};
}

/** Stops a runner without waiting on what is left: scenarios have already drained it. */
export async function closeRunner(runner: Runner): Promise<void> {
  await runner.stop({ drain: false, timeoutMs: 5_000 }).catch(() => undefined);
}

/**
 * Runs one subject's part of a scenario; an error becomes a Skipped row (with the error's own
 * fix when it has one) so one broken subject does not lose the rest of the run.
 */
export async function guarded(context: BenchContext, subject: string, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    skipFailed(context, subject, error);
  }
}

/** The skip row for a subject that threw: the error's own fix when it has one. */
export function skipFailed(context: BenchContext, subject: string, error: unknown): void {
  if (error instanceof NeedAQueueError) return context.skip(subject, error.message, error.fix);
  const message = messageOf(error);
  context.skip(subject, `failed: ${message}`, `run it alone (--runners ${subject}) to see the error, and report it`);
}
