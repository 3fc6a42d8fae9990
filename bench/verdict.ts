// The verdict: one row per runner, so "do we need a queue?" can be answered from one screen.
// What the runner guarantees (its declared traits, which the conformance suite proves), what
// it costs on this machine (from the results file), and what it loses when something fails
// (the failure lab's cells, when given). A pure function of a results file, so the terminal,
// the results page and the site show the same rows.
//
// How each cost is chosen, so runners are compared like with like:
// - jobs/s: the throughput medians for noop, sleep 5ms and cpu 2ms at the same concurrency.
// - p99: submit→done at one offered rate for every runner: the highest rate that every
//   measured runner kept up with (the latency scenario's own rule: ≥ 80% of the offered rate
//   done, nothing left over), so no runner's figure is a queue's backlog; beside it, the
//   highest rate this runner kept up with.
// - loop lag: event-loop lag p99 while the runner drains cpu jobs, with the job count.
// - memory: heap growth per pending job at the largest count measured; a runner that held
//   the producer back (stage) or keeps jobs in a store says so instead of a misleading 0.

import type { RunnerTraits } from '../src/contract.ts';
import { describeRunner, isRunnerId } from '../src/runners/registry.ts';
import { labMatrix, runnerLosses } from './lab/matrix.ts';
import { KEPT_UP_SHARE } from './scenarios/latency.ts';
import type { BenchResults, SummarizedMeasurement } from './results.ts';
import { UNBOUNDED_NOTE } from './subjects.ts';

/** The cells of one runner's row; `undefined` where the file has no such figure. */
export interface VerdictRow {
  readonly runner: string;
  readonly traits: RunnerTraits | undefined;
  /** Short words for the traits: `stored · at-least-once · retries · crash: process · any machine`. */
  readonly guarantees: string;
  readonly jobsPerSecond: { readonly noop?: number; readonly sleep?: number; readonly cpu?: number };
  /** Figures whose repeats disagree past the noisy rule (stats.ts): marked `*`, as in the tables. */
  readonly noisy: { readonly jobsPerSecond: boolean; readonly p99: boolean; readonly loopLag: boolean };
  /** The runner has no concurrency limit, so its jobs/s is not at the others' concurrency. */
  readonly unbounded: boolean;
  /** submit→done p99 at the verdict's common rate, in ms; `saturated` if it fell behind even there. */
  readonly p99Ms: number | 'saturated' | undefined;
  /** The highest offered rate this runner kept up with, jobs/s. */
  readonly keptUpWith: number | undefined;
  readonly loopLagP99Ms: number | undefined;
  readonly memory:
    | { readonly kind: 'per-job'; readonly kbPerJob: number; readonly store?: string; readonly storeKbPerJob?: number }
    | { readonly kind: 'held'; readonly acceptedBeforeWait: number }
    | undefined;
  /** What the failure lab saw it lose; undefined until the lab's results are given. */
  readonly loses: string | undefined;
}

export interface Verdict {
  readonly rows: readonly VerdictRow[];
  /** The offered rate every row's p99 is taken at (jobs/s). */
  readonly commonRate: number | undefined;
  /** Jobs drained per event-loop sample, and pending jobs per memory sample. */
  readonly lagJobs: number | undefined;
  readonly memoryJobs: number | undefined;
  readonly concurrency: number | undefined;
  /** Columns whose figures come from a single run (the quick profile's latency and memory). */
  readonly singleRun: readonly ('p99' | 'loop lag' | 'heap per pending job')[];
  /** Sentences generated from the rows: who keeps jobs, who keeps the loop free. */
  readonly readings: readonly string[];
}

export interface VerdictInputs {
  /** The runner's declared traits (its static descriptor); undefined for an unknown id. */
  readonly traits: (runner: string) => RunnerTraits | undefined;
  /** The failure lab's one-cell summary of what the runner lost, when the lab has run. */
  readonly losses?: (runner: string) => string | undefined;
  /** Which subjects are runners (raw baselines and `idle` are not). */
  readonly isRunner: (subject: string) => boolean;
}

const notesOf = (m: SummarizedMeasurement): Readonly<Record<string, unknown>> =>
  m.notes !== null && typeof m.notes === 'object' && !Array.isArray(m.notes) ? m.notes : {};

const num = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);

/** The traits in a few words: where jobs live, how often one runs, what a crash takes, how far it spreads. */
export function guaranteesOf(traits: RunnerTraits | undefined): string {
  if (traits === undefined) return 'traits unknown';
  const words = [
    traits.durable ? 'stored' : 'memory',
    traits.delivery,
    ...(traits.retries ? ['retries'] : []),
    `crash: ${traits.isolation === 'none' ? 'process' : traits.isolation}`,
    ...(traits.scope === 'cluster' ? ['any machine'] : traits.scope === 'machine' ? ['this machine'] : []),
  ];
  return words.join(' · ');
}

/** Kept up at a rate: the latency scenario's saturation rule, read back from the notes. */
export function keptUp(m: SummarizedMeasurement): boolean {
  const n = notesOf(m);
  const offered = num(n.offered);
  const achieved = num(n.achievedPerSecond);
  return offered !== undefined && achieved !== undefined && achieved >= offered * KEPT_UP_SHARE && (num(n.unfinished) ?? 0) === 0;
}

const rateOf = (m: SummarizedMeasurement): number | undefined => num(notesOf(m).offered);

export function verdictOf(results: BenchResults, inputs: VerdictInputs): Verdict {
  const runners = results.subjects.filter(inputs.isRunner);
  const find = (scenario: string, subject: string, test: (m: SummarizedMeasurement) => boolean) => results.measurements.find((m) => m.scenario === scenario && m.subject === subject && test(m));

  // Latency: the p99 rows per runner, and the highest rate each kept up with.
  const p99Rows = (runner: string) => results.measurements.filter((m) => m.scenario === 'latency' && m.subject === runner && m.metric === 'p99 submit→done');
  const keptUpWith = new Map(runners.map((r) => [r, Math.max(0, ...p99Rows(r).filter(keptUp).map((m) => rateOf(m) ?? 0))] as const));
  const measuredLatency = runners.filter((r) => p99Rows(r).length > 0);
  const lowestRate = Math.min(...results.measurements.filter((m) => m.scenario === 'latency').map((m) => rateOf(m) ?? Infinity));
  const everyoneKept = Math.min(...measuredLatency.map((r) => keptUpWith.get(r) ?? 0));
  const commonRate = measuredLatency.length === 0 ? undefined : everyoneKept > 0 ? everyoneKept : Number.isFinite(lowestRate) ? lowestRate : undefined;

  const lagRow = (runner: string) => find('event-loop', runner, (m) => m.case.startsWith('cpu') && m.metric === 'lag p99');
  const memoryRows = (runner: string) => results.measurements.filter((m) => m.scenario === 'memory' && m.subject === runner && m.metric === 'heap growth');
  const largest = (ms: readonly SummarizedMeasurement[]) => [...ms].sort((a, b) => (num(notesOf(b).jobs) ?? 0) - (num(notesOf(a).jobs) ?? 0))[0];
  const throughputRows = (runner: string) => results.measurements.filter((m) => m.scenario === 'throughput' && m.subject === runner);
  const throughputOf = (runner: string, label: string) => throughputRows(runner).find((m) => m.case.startsWith(`${label} `))?.median;

  const rows = runners.map((runner): VerdictRow => {
    const traits = inputs.traits(runner);
    const atRate = commonRate === undefined ? undefined : p99Rows(runner).find((m) => rateOf(m) === commonRate);
    const mem = largest(memoryRows(runner));
    const memNotes = mem === undefined ? {} : notesOf(mem);
    const accepted = num(memNotes.accepted);
    const jobs = num(memNotes.jobs);
    const storeRow = mem === undefined ? undefined : find('memory', runner, (m) => m.case === mem.case && m.metric === 'store growth');
    const store = typeof memNotes.note === 'string' && memNotes.note.startsWith('jobs wait in ') && !memNotes.note.startsWith('jobs wait in this process') ? memNotes.note.slice('jobs wait in '.length).split(':')[0] : undefined;
    const memory: VerdictRow['memory'] =
      mem === undefined || accepted === undefined || jobs === undefined
        ? undefined
        : accepted < jobs
          ? { kind: 'held', acceptedBeforeWait: accepted }
          : {
            kind: 'per-job',
            kbPerJob: (mem.median * 1024) / Math.max(1, accepted),
            ...(store === undefined ? {} : { store }),
            ...(storeRow === undefined ? {} : { storeKbPerJob: (storeRow.median * 1024) / Math.max(1, accepted) }),
          };
    const kept = keptUpWith.get(runner);
    return {
      runner,
      traits,
      guarantees: guaranteesOf(traits),
      jobsPerSecond: { noop: throughputOf(runner, 'noop'), sleep: throughputOf(runner, 'sleep'), cpu: throughputOf(runner, 'cpu') },
      unbounded: results.measurements.some((m) => m.scenario === 'throughput' && m.subject === runner && notesOf(m).note === UNBOUNDED_NOTE),
      p99Ms: atRate === undefined ? (p99Rows(runner).length > 0 ? 'saturated' : undefined) : keptUp(atRate) ? atRate.median : 'saturated',
      keptUpWith: kept === undefined || kept === 0 ? undefined : kept,
      loopLagP99Ms: lagRow(runner)?.median,
      noisy: { jobsPerSecond: throughputRows(runner).some((m) => m.noisy), p99: atRate?.noisy === true, loopLag: lagRow(runner)?.noisy === true },
      memory,
      loses: inputs.losses?.(runner),
    };
  });

  const anyLag = runners.map(lagRow).find((m) => m !== undefined);
  const anyMemory = runners.map((r) => largest(memoryRows(r))).find((m) => m !== undefined);
  // The runners' shared limit: an unbounded runner's figures carry none.
  const anyThroughput = results.measurements.find((m) => m.scenario === 'throughput' && num(notesOf(m).concurrency) !== undefined);
  return {
    rows,
    commonRate,
    lagJobs: anyLag === undefined ? undefined : num(notesOf(anyLag).jobs),
    memoryJobs: anyMemory === undefined ? undefined : num(notesOf(anyMemory).jobs),
    concurrency: anyThroughput === undefined ? undefined : num(notesOf(anyThroughput).concurrency),
    singleRun: [
      ...(runners.some((r) => p99Rows(r).some((m) => m.samples.length < 2)) ? (['p99'] as const) : []),
      ...(runners.some((r) => (lagRow(r)?.samples.length ?? 2) < 2) ? (['loop lag'] as const) : []),
      ...(runners.some((r) => memoryRows(r).some((m) => m.samples.length < 2)) ? (['heap per pending job'] as const) : []),
    ],
    readings: [...readings(rows), ...webServerReading(results, runners)],
  };
}

/**
 * The verdict of a results file: the runners' declared traits from their descriptors, and
 * what each lost from the failure lab's cells in the same file (bench/lab/matrix.ts). A file
 * without lab cells leaves the column out, and a line says so.
 */
export function verdictFor(results: BenchResults, labResults: BenchResults = results): Verdict {
  // The lab's cells may come from another file: the site reads costs from a full benchmark run
  // and losses from a lab run checked in beside it.
  const lab = labMatrix(labResults);
  return verdictOf(results, {
    traits: (id) => (isRunnerId(id) ? describeRunner(id).traits : undefined),
    isRunner: isRunnerId,
    losses: (id) => runnerLosses(lab, id),
  });
}

/** Plain sentences from the rows, for a reader who wants the answer before the table. */
function readings(rows: readonly VerdictRow[]): string[] {
  const out: string[] = [];
  const durable = rows.filter((r) => r.traits?.durable === true).map((r) => r.runner);
  const volatile = rows.filter((r) => r.traits?.durable === false).map((r) => r.runner);
  if (durable.length > 0 && volatile.length > 0) {
    out.push(`A job that must survive a crash, a deploy or a restart needs ${durable.join(' or ')}: ${volatile.join(', ')} keep jobs in memory and lose every pending one when the process ends.`);
  }
  const lagged = rows.filter((r) => r.loopLagP99Ms !== undefined).sort((a, b) => (a.loopLagP99Ms ?? 0) - (b.loopLagP99Ms ?? 0));
  const best = lagged[0];
  const worst = lagged.at(-1);
  if (best !== undefined && worst !== undefined && best !== worst) {
    out.push(`CPU-heavy jobs: ${best.runner} kept the event loop's p99 lag at ${ms(best.loopLagP99Ms)}; ${worst.runner} let it reach ${ms(worst.loopLagP99Ms)}, and every request the process serves waits that long.`);
  }
  return out;
}

/**
 * "Will our API slow down?" from the web-server scenario: request p99 of the server with no jobs,
 * beside the runner that held it up most and the one that held it up least while cpu jobs ran.
 */
function webServerReading(results: BenchResults, runners: readonly string[]): string[] {
  const p99 = (subject: string, kase: string) => results.measurements.find((m) => m.scenario === 'web-server' && m.subject === subject && m.case === kase && m.metric === 'request p99');
  const idle = results.measurements.find((m) => m.scenario === 'web-server' && m.subject === 'idle' && m.metric === 'request p99');
  const cpu = runners.map((r) => p99(r, 'cpu 5ms')).filter((m): m is SummarizedMeasurement => m !== undefined).sort((a, b) => a.median - b.median);
  const best = cpu[0];
  const worst = cpu.at(-1);
  if (idle === undefined || best === undefined || worst === undefined || best === worst) return [];
  const jobs = num(notesOf(worst).jobs);
  return [
    `Will our API slow down? A web server in the same process answered at p99 in ${ms(idle.median)} with no jobs; while ${jobs === undefined ? '' : `batches of ${jobs} `}cpu 5ms jobs ran, in ${ms(worst.median)} on ${worst.subject} and ${ms(best.median)} on ${best.subject}.`,
  ];
}

export function compactNumber(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 10_000) return `${Math.round(value / 1000)}k`;
  if (abs >= 1000) return `${(value / 1000).toFixed(1)}k`;
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

function ms(value: number | undefined): string {
  if (value === undefined) return '-';
  return value >= 1000 ? `${(value / 1000).toFixed(1)} s` : `${compactNumber(value)} ms`;
}

/** The verdict as a header and rows (every row the header's length): terminal and page alike. */
export function verdictTable(v: Verdict): string[][] {
  const header = ['runner', 'guarantees', 'jobs/s noop·sleep·cpu', v.commonRate === undefined ? 'p99' : `p99 at ${compactNumber(v.commonRate)}/s · up to`, 'loop lag', 'heap per pending job', 'loses'];
  const rows = v.rows.map((r) => {
    const j = r.jobsPerSecond;
    const mark = (noisy: boolean) => (noisy ? ' *' : '');
    const rates = [j.noop, j.sleep, j.cpu].map((x) => (x === undefined ? '-' : compactNumber(x))).join(' · ') + (r.unbounded ? ' (no limit)' : '') + mark(r.noisy.jobsPerSecond);
    const p99 = (r.p99Ms === undefined ? '-' : r.p99Ms === 'saturated' ? 'saturated' : ms(r.p99Ms)) + mark(r.noisy.p99);
    const latency = r.keptUpWith === undefined ? p99 : `${p99} · ${compactNumber(r.keptUpWith)}/s`;
    const store = r.memory?.kind === 'per-job' && r.memory.store !== undefined ? ` + ${r.memory.storeKbPerJob === undefined ? '' : `${r.memory.storeKbPerJob.toFixed(2)} KB in `}${r.memory.store}` : '';
    const memory = r.memory === undefined ? '-' : r.memory.kind === 'held' ? `none: submit waits at ${r.memory.acceptedBeforeWait}` : `${r.memory.kbPerJob.toFixed(2)} KB${store}`;
    return [r.runner, r.guarantees, rates, latency, ms(r.loopLagP99Ms) + mark(r.noisy.loopLag), memory, r.loses ?? 'not in this run'];
  });
  // Until the failure lab reports, the column would say the same thing seven times.
  const lab = v.rows.some((r) => r.loses !== undefined);
  return [header, ...rows].map((row) => (lab ? row : row.slice(0, -1)));
}

/** What each column counts, with the job counts behind it: a figure without its context misleads. */
export function verdictLegend(v: Verdict): string[] {
  const c = v.concurrency === undefined ? '' : ` at concurrency ${v.concurrency}`;
  return [
    'guarantees: declared traits, each proved by the conformance suite (`need-a-queue runners` for all of them); * after a figure: its repeats disagree (NOISY above), do not rank on it',
    `jobs/s: throughput medians for noop, sleep 5ms and cpu 2ms jobs${c}; higher is better; "(no limit)": the runner has no concurrency limit and starts every job at once`,
    v.commonRate === undefined
      ? 'p99: no latency figures in this run'
      : `p99: submit→done of noop jobs offered at ${compactNumber(v.commonRate)}/s, the highest rate every runner kept up with; "up to": the highest rate this one kept up with; lower is better`,
    `loop lag: event-loop lag p99 while draining ${v.lagJobs === undefined ? '' : `${v.lagJobs} `}cpu 5ms jobs, what every other request in the process waits; lower is better`,
    `heap per pending job: heap growth ÷ jobs accepted and not yet run${v.memoryJobs === undefined ? '' : ` (${compactNumber(v.memoryJobs)} submitted)`}; after +, what the store gained per job where it was measured (Redis used_memory, PostgreSQL table and index size), else the store that holds the rest`,
    ...(v.singleRun.length === 0 ? [] : [`single run (this profile repeats them once): ${v.singleRun.join(', ')}; measure with --profile full before ranking on them`]),
    v.rows.some((r) => r.loses !== undefined)
      ? "loses: the failure lab's cells for the runner (its table has each fault, measured beside what the traits predict)"
      : "loses: what each runner loses in a crash, a restart or a deploy is the failure lab's to measure (not in this run: `need-a-queue lab`)",
  ];
}

export function formatVerdict(v: Verdict, table: (rows: readonly (readonly string[])[]) => string): string {
  const lines = ['verdict: what each runner guarantees, and what it costs on this machine', table(verdictTable(v)).trimEnd(), ...verdictLegend(v)];
  for (const reading of v.readings) lines.push(`=> ${reading}`);
  return lines.join('\n') + '\n';
}
