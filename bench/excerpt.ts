// The README's excerpt of the reference results, made from the results file so that no figure
// in it is typed by hand: excerpt.test.ts fails when the README's block differs from what this
// makes of the file the README links. After a new reference run, print the block with
//   npx tsx bench/excerpt.ts bench/results/reference-<date>-full.json [reference-<date>-scale-out.json]
// and paste it over the old one.

import { pathToFileURL } from 'node:url';
import { peerFor } from './peers.ts';
import { describeRun, formatNumber } from './print.ts';
import { readResults, type BenchResults, type SummarizedMeasurement } from './results.ts';

function finder(results: BenchResults) {
  return (scenario: string, subject: string, kase: string, metric: string): SummarizedMeasurement => {
    const found = results.measurements.find((m) => m.scenario === scenario && m.subject === subject && m.case === kase && m.metric === metric);
    if (found === undefined) throw new Error(`the reference file has no ${scenario} figure for ${subject} ${kase} ${metric}: the excerpt needs a full run over every runner`);
    return found;
  };
}

const times = (a: number, b: number): string => `${(a / b).toFixed(2)}×`;

/**
 * The excerpt of a full reference run; `scaleOut` is the run the scale-out lines come from when
 * that scenario was measured apart (it starts worker processes of its own, and can be re-run
 * alone). Its where-and-when line is printed above those lines.
 */
export function referenceExcerpt(results: BenchResults, scaleOut: BenchResults = results): string {
  const find = finder(results);
  const findScale = finder(scaleOut);
  // A runner with no concurrency limit has its own case label (`noop no limit`); older files said `c=50`.
  const rate = (subject: string, kase: string) => {
    const unbounded = results.measurements.some((m) => m.scenario === 'throughput' && m.subject === subject && m.case === `${kase} no limit`);
    return find('throughput', subject, `${kase} ${unbounded ? 'no limit' : 'c=50'}`, 'jobs/s');
  };
  const rows: [string, string, string, string][] = [['subject', 'case', 'median', 'ratio']];
  const row = (subject: string, kase: string, raw: string | undefined, note = '') => {
    const m = rate(subject, kase);
    const ratio = raw === undefined ? '' : `${times(m.median, rate(raw, kase).median)} ${raw}`;
    rows.push([subject, kase, formatNumber(m.median), [ratio, note].filter((s) => s !== '').join(' ')]);
  };
  // Each runner against its peer (peers.ts); a reference measured before the peers were in the
  // harness (before 2026-11-30) has only the bare-promise floor, and the row names it.
  const against = (subject: string): string => {
    const peer = peerFor(subject);
    return peer !== undefined && results.subjects.includes(peer) ? peer : 'promise-raw';
  };
  row('fire-and-forget', 'noop', undefined, '(no concurrency limit)');
  row('task', 'noop', against('task'));
  row('genserver', 'sleep 5ms', against('genserver'));
  const pool = against('worker-pool');
  row('worker-pool', 'cpu 2ms', pool, `(${pool === 'promise-raw' ? `a thread per core, here ${results.environment.cores}; ` : ''}one event loop does ${formatNumber(rate('promise-raw', 'cpu 2ms').median)})`);
  row('bullmq-redis', 'noop', 'bullmq-raw-redis');
  row('bullmq-redis', 'sleep 5ms', 'bullmq-raw-redis');
  row('bullmq-postgres', 'noop', 'bullmq-raw-postgres', "(the kit stores a tick's submits in one transaction)");
  const samples = results.measurements.filter((m) => m.scenario === 'throughput').map((m) => m.samples.length);
  const lagged = ['genserver', 'bullmq-redis', 'bullmq-postgres', 'worker-pool'];
  const lagRow = (subject: string) => find('event-loop', subject, 'cpu 5ms', 'lag p99');
  // On the loop, lag grows with the jobs drained: the count belongs beside the figure.
  const jobsOf = (subject: string) => {
    const notes = lagRow(subject).notes;
    return notes !== null && typeof notes === 'object' && !Array.isArray(notes) && typeof notes.jobs === 'number' ? notes.jobs : undefined;
  };
  const counts = new Set(lagged.map(jobsOf));
  const [sharedCount] = counts;
  const lag = (subject: string) => {
    const jobs = jobsOf(subject);
    return `${subject} ${formatNumber(lagRow(subject).median)} ms${counts.size > 1 && jobs !== undefined ? ` (${formatNumber(jobs)} jobs)` : ''}`;
  };
  const speedups = (subject: string, c: number) =>
    [2, 4].map((w) => times(findScale('scale-out', subject, `sleep 10ms workers=${w} c=${c}`, 'jobs/s').median, findScale('scale-out', subject, `sleep 10ms workers=1 c=${c}`, 'jobs/s').median)).join(' / ');
  const scale = (subject: string) => `${subject.padEnd(17)}c=10: ${speedups(subject, 10).padEnd(15)}c=2: ${speedups(subject, 2)}`;
  // Will an API in the same process slow down? Request p99 with each runner's cpu jobs beside it.
  const web = results.measurements.some((m) => m.scenario === 'web-server')
    ? [
        '',
        'web-server: request p99 of an HTTP server in the same process, while the runner works through cpu 5ms jobs',
        [`idle (no jobs) ${formatNumber(find('web-server', 'idle', 'no jobs', 'request p99').median)} ms`, ...['task', 'worker-pool', 'bullmq-redis'].map((subject) => `${subject} ${formatNumber(find('web-server', subject, 'cpu 5ms', 'request p99').median)} ms`)].join(' · '),
      ]
    : [];
  return [
    // Where and when, from the file: the README's prose says none of it by hand.
    `${describeRun(results)} · took ${Math.round(results.durationMs / 60_000)} min`,
    '',
    `throughput (jobs/s, concurrency 50, median of ${Math.min(...samples)}–${Math.max(...samples)})`,
    ...rows.map(([a, b, c, d]) => `${a.padEnd(21)}${b.padEnd(12)}${c.padEnd(14)}${d}`.trimEnd()),
    '',
    `event-loop lag p99 while draining ${counts.size === 1 && sharedCount !== undefined ? `${formatNumber(sharedCount)} ` : ''}cpu 5ms jobs (on the event loop, the lag grows with the count)`,
    lagged.map(lag).join(' · '),
    ...web,
    '',
    ...(scaleOut === results ? [] : [`scale-out, measured apart: ${describeRun(scaleOut)} · took ${Math.round(scaleOut.durationMs / 60_000)} min`]),
    'scale-out, sleep 10ms jobs, speed-up of 2 and 4 worker processes over 1',
    scale('bullmq-redis'),
    scale('bullmq-postgres'),
    '',
  ].join('\n');
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [file, scaleOutFile] = process.argv.slice(2);
  if (file === undefined) {
    process.stderr.write('usage: npx tsx bench/excerpt.ts bench/results/reference-<date>-full.json [bench/results/reference-<date>-scale-out.json]\n');
    process.exit(2);
  }
  const results = readResults(file);
  process.stdout.write(referenceExcerpt(results, scaleOutFile === undefined ? results : readResults(scaleOutFile)));
}
