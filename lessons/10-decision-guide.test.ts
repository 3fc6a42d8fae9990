// Lesson 10's claims. The guide's table says "if you need X, choose Y": each row's choice must have
// the guarantee X needs (read from the runners' declared traits, which the conformance suite
// proves), and each row must link to a lesson section that exists. The cost bullets compare
// figures in the reference run the page shows; each comparison the prose makes is checked here
// against that file.

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunnerTraits } from '../src/contract.ts';
import { describeRunner, isRunnerId } from '../src/runners/registry.ts';
import { reference } from './support/reference.ts';

const here = path.dirname(new URL(import.meta.url).pathname);
const page = readFileSync(path.join(here, '10-decision-guide.md'), 'utf8');

/** The guide's table: one entry per row, the need, the runner ids named in the choice, and the links. */
function guideRows(): { need: string; choices: string[]; links: string[] }[] {
  const table = page.split('## If you need this, choose that')[1]?.split('\n## ')[0] ?? '';
  return table
    .split('\n')
    .filter((line) => line.startsWith('| ') && !line.startsWith('| you need') && !line.startsWith('|---'))
    .map((line) => {
      const [need = '', choice = '', shown = ''] = line.split(' | ').map((cell) => cell.replace(/^\| |\s*\|$/g, ''));
      return {
        need,
        choices: [...choice.matchAll(/`([a-z-]+)`/g)].map(([, id]) => id ?? '').filter(isRunnerId),
        links: [...shown.matchAll(/\]\(\.\/([^)]+)\)/g)].map(([, link]) => link ?? ''),
      };
    });
}

/** What each need requires of the runner the guide chooses for it. */
const REQUIRES: readonly [RegExp, (t: RunnerTraits) => boolean][] = [
  [/afford to lose/, (t) => !t.durable && !t.result],
  [/within a deadline/, (t) => t.result && t.options.includes('timeoutMs')],
  [/crash in one part/, (t) => t.isolation === 'thread' || t.isolation === 'process' || !t.durable],
  [/CPU-heavy/, (t) => t.isolation === 'thread'],
  [/survive a crash/, (t) => t.durable && t.retries && t.delivery === 'at-least-once'],
  [/transaction commits/, (t) => t.durable],
  [/every instance|every worker shares/, (t) => t.durable && t.scope === 'cluster'],
  [/more throughput than one process/, (t) => t.durable && t.scope === 'cluster'],
];

/** VitePress's heading ids (its slugify): each run of spaces and punctuation becomes one hyphen. */
const slug = (heading: string) =>
  heading.normalize('NFKD').replace(/[\u0300-\u036F]/g, '').replace(/[\s~`!@#$%^&*()\-_+=[\]{}|\\;:"'“”‘’<>,.?/]+/g, '-').replace(/^-+|-+$/g, '').toLowerCase();

function anchorExists(link: string): boolean {
  const [file = '', anchor] = link.split('#');
  const md = path.join(here, `${file}.md`);
  if (!existsSync(md)) return false;
  if (anchor === undefined) return true;
  const headings = readFileSync(md, 'utf8').split('\n').filter((l) => /^#{2,4} /.test(l)).map((l) => slug(l.replace(/^#+ /, '')));
  return headings.includes(anchor);
}

const full = reference('throughput');
function median(key: string): number {
  const m = full.get(key);
  if (m === undefined) throw new Error(`the reference has no ${key}`);
  return m.median;
}
const notes = (key: string) => (full.get(key)?.notes ?? {}) as Record<string, number>;

describe('lesson 10: the decision guide', () => {
  const rows = guideRows();

  it('has a row for every need, each naming a runner and linking to a lesson section that exists', () => {
    expect(rows.length).toBeGreaterThanOrEqual(10);
    for (const row of rows) {
      expect(row.choices.length, row.need).toBeGreaterThan(0);
      expect(row.links.length, row.need).toBeGreaterThan(0);
      for (const link of row.links) expect(anchorExists(link), `${row.need}: ${link}`).toBe(true);
    }
  });

  it('every row\'s choice has the guarantee its need requires (declared traits, proved by the conformance suite)', () => {
    let checked = 0;
    for (const row of rows) {
      for (const [need, requires] of REQUIRES) {
        if (!need.test(row.need)) continue;
        checked++;
        for (const id of row.choices) expect(requires(describeRunner(id).traits), `${row.need} → ${id}`).toBe(true);
      }
    }
    expect(checked).toBe(REQUIRES.length);
  });

  it('the durable choices are the only runners whose jobs outlive the process', () => {
    const durable = rows.filter((r) => /survive a crash|transaction commits/.test(r.need)).flatMap((r) => r.choices);
    expect(durable.length).toBeGreaterThan(0);
    for (const id of ['fire-and-forget', 'task', 'genserver', 'stage', 'worker-pool']) expect(describeRunner(id).traits.durable, id).toBe(false);
  });

  it('the latency figure is taken at a rate every runner shown kept up with', () => {
    for (const subject of ['task', 'worker-pool', 'bullmq-redis', 'bullmq-postgres']) {
      const n = notes(`latency · ${subject} · noop rate=500/s · p99 submit→done`);
      expect(n.unfinished, subject).toBe(0);
      expect(n.achievedPerSecond, subject).toBeGreaterThanOrEqual(0.8 * (n.offered ?? Infinity));
    }
  });

  it('each step to a durable store costs throughput: Redis below the task runner, PostgreSQL below Redis', () => {
    const sleep = (s: string) => median(`throughput · ${s} · sleep 5ms c=50 · jobs/s`);
    expect(sleep('bullmq-redis')).toBeLessThan(sleep('task'));
    expect(sleep('bullmq-postgres')).toBeLessThan(sleep('bullmq-redis'));
  });

  it('a Task handle costs a small part of a millisecond', () => {
    const task = reference('micro').get('micro · otp-task · Task.start + await · µs/op');
    expect(task?.unit).toBe('µs');
    expect(task?.median).toBeLessThan(100);
  });

  it('the worker pool keeps the event loop free under CPU work where the task runner does not', () => {
    const lag = (s: string) => median(`event-loop · ${s} · cpu 5ms · lag p99`);
    expect(lag('worker-pool')).toBeLessThan(lag('task'));
  });

  it('PostgreSQL\'s tail grows long before its drain rate: at 1000 arrivals a second it completes fewer than it drains', () => {
    const achieved = notes('latency · bullmq-postgres · noop rate=1000/s · p99 submit→done').achievedPerSecond ?? Infinity;
    expect(achieved).toBeLessThan(median('throughput · bullmq-postgres · noop c=50 · jobs/s'));
  });
});
