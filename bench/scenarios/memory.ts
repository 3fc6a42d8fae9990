// `memory`: what N submitted-but-not-run jobs cost the submitting process: peak RSS and heap
// growth. In-process runners hold every waiting job in the heap; durable runners hold them in
// Redis or PostgreSQL, whose growth is its own figure (`store growth`, store-size.ts): the
// process's rows are the client's share only, and the notes say so.
// p-queue, the in-process runners' peer, holds the same jobs in its own line, so heap per
// pending job can be set beside what a user would pick instead (print.ts, bench/peers.ts).
//
// How it works: one child process per subject and N (memory-child.ts), so runners do not
// share a heap; the child reports one JSON line. Repeats are separate children.

import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isRunnerId, servicesFor } from '../../src/runners/registry.ts';
import { jsonNotes } from '../results.ts';
import { guarded, lineFor } from '../subjects.ts';
import type { BenchContext, Measurement, Scenario } from '../types.ts';

const child = path.join(path.dirname(fileURLToPath(import.meta.url)), 'memory-child.ts');

interface ChildReport {
  readonly peakRss: number;
  readonly rssGrowth: number;
  readonly heapGrowth: number;
  readonly submitMs: number;
  readonly accepted: number;
  readonly blocked: boolean;
  /** What the store (Redis, PostgreSQL) gained, for a runner that keeps jobs in one. */
  readonly storeGrowth?: number;
}

function runChild(args: string[], signal: AbortSignal): Promise<ChildReport> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', child, ...args], { stdio: ['ignore', 'pipe', 'pipe'], signal, timeout: 180_000 });
    let out = '';
    let err = '';
    proc.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    proc.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    proc.on('error', reject);
    proc.on('close', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      try {
        resolve(JSON.parse(line) as ChildReport);
      } catch {
        reject(new Error(`memory child for ${args[0] ?? '?'} exited ${code ?? 'by signal'}: ${err.trim().split('\n').slice(-3).join(' ') || 'no output'}`));
      }
    });
  });
}

async function one(id: string, context: BenchContext, out: Measurement[]): Promise<void> {
  // A peer that keeps its waiting jobs in this process (p-queue) is measured the same way.
  const peer = context.baselines.find((b) => b.id === id && b.hold !== undefined);
  if (!isRunnerId(id) && peer === undefined) return;
  const needs = isRunnerId(id) ? servicesFor(id) : [];
  const redis = needs.includes('redis') ? await context.services.redisUrl() : '';
  const database = needs.includes('postgres') ? await context.services.databaseUrl() : '';
  const sizes = context.profile === 'full' ? [10_000, 100_000] : [5_000];
  const repeats = context.profile === 'full' ? 2 : 1;
  for (const jobs of sizes) {
    const reports: ChildReport[] = [];
    for (let r = 0; r < repeats && !context.signal.aborted; r++) {
      context.progress(`memory ${id}: ${jobs} pending jobs, run ${r + 1}/${repeats}`);
      reports.push(await runChild([id, String(jobs), redis, database], context.signal));
    }
    if (reports.length === 0) return;
    const blocked = reports.some((r) => r.blocked);
    const note = blocked
      ? `backpressure: submit waited after ${Math.min(...reports.map((r) => r.accepted))} jobs, so the producer is held instead of the jobs`
      : needs.length > 0
        ? `jobs wait in ${needs.join(', ')}: the process rows leave that server out; store growth is what it gained`
        : lineFor(id, jobs).maxQueue !== undefined
          ? `jobs wait in this process (opened with maxQueue: ${jobs}, above the default line)`
          : 'jobs wait in this process';
    const common = { scenario: 'memory', subject: id, case: `${jobs} pending`, better: 'lower' as const, notes: jsonNotes({ jobs, accepted: Math.min(...reports.map((r) => r.accepted)), note }) };
    out.push({ ...common, metric: 'peak RSS', unit: 'MB', samples: reports.map((r) => r.peakRss / 2 ** 20) });
    out.push({ ...common, metric: 'RSS growth', unit: 'MB', samples: reports.map((r) => r.rssGrowth / 2 ** 20) });
    out.push({ ...common, metric: 'heap growth', unit: 'MB', samples: reports.map((r) => r.heapGrowth / 2 ** 20) });
    const store = reports.map((r) => r.storeGrowth).filter((b): b is number => b !== undefined);
    if (store.length === reports.length) out.push({ ...common, metric: 'store growth', unit: 'MB', samples: store.map((b) => b / 2 ** 20) });
  }
}

export const memory: Scenario = {
  name: 'memory',
  summary: 'peak RSS and heap growth of the submitting process with N jobs submitted and not yet run (child process per subject)',
  async run(context) {
    const out: Measurement[] = [];
    for (const subject of context.subjects) {
      if (context.signal.aborted) break;
      await guarded(context, subject, () => one(subject, context, out));
    }
    return out;
  },
};
