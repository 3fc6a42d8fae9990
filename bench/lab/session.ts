// One case's runner in one child process, and the count at the end of the case: the pieces
// every fault repeats.

import { randomUUID } from 'node:crypto';
import type { Outcomes } from '../../src/ledger/ledger.ts';
import type { CellContext } from './cell.ts';
import { startLabChild, type LabChild } from './child-control.ts';
import { readStore } from './store.ts';
import { runnerOptions, type CaseOptions } from './subjects.ts';

export interface Session {
  readonly child: LabChild;
  /** Where a durable runner keeps this case's jobs; a fresh process opens the same. */
  readonly place: Place;
}

export interface Place {
  readonly queue: string;
  readonly url?: string;
  readonly namespace?: string;
}

/** Where the case's jobs live: its own queue on the run's shared server (or on `url`). */
export async function placeFor(context: CellContext, url?: string): Promise<Place> {
  const queue = `lab-${randomUUID().slice(0, 8)}`;
  const store = context.subject.store;
  if (store === undefined) return { queue };
  const where = url ?? (store === 'redis' ? await context.services.redisUrl() : await context.services.databaseUrl());
  return { queue, url: where, namespace: store === 'redis' ? 'naq-lab' : 'naq_lab' };
}

/** A child process with the runner opened on `place`. */
export async function openSession(context: CellContext, place: Place, o: Omit<CaseOptions, 'queue' | 'url' | 'namespace'>, env: Readonly<Record<string, string>> = {}): Promise<Session> {
  const child = await startLabChild(env);
  try {
    const options = runnerOptions(context.subject, { ...o, ...place });
    await child.ask({ op: 'open', runner: context.subject.id, options, ...(context.subject.module === undefined ? {} : { module: context.subject.module }) });
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return { child, place };
}

/** Stops a live child's runner (abandoning what runs), then ends the process. */
export async function closeSession(session: Session): Promise<void> {
  if (!session.child.dead()) {
    await session.child.ask({ op: 'stop', drain: false, timeoutMs: 1000 }, 15_000).catch(() => undefined);
    session.child.kill('SIGKILL');
  }
  await session.child.exited;
}

/** The case's count: the ledger, and for a durable runner what its store still holds. */
export async function count(context: CellContext, place: Place): Promise<Outcomes> {
  const store = context.subject.store;
  if (store === undefined || place.url === undefined || place.namespace === undefined) return context.ledger.outcomes();
  const state = await readStore(store, place.url, place.namespace, place.queue);
  return context.ledger.outcomes({ stored: state.stored, failed: state.failed });
}

/** Whether every submitted job has finished or failed (by the ledger). */
export function allSettled(context: CellContext): boolean {
  const o = context.ledger.outcomes();
  return o.submitted > 0 && o.done + o.failed + o.rejected === o.submitted;
}
