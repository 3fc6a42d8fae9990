// Results files: one JSON file per run under bench/results/, checked against the versioned
// schema in results.schema.json when written and when read, so a corrupt, old or hand-edited
// file is a ResultsFileError that names the fix, never a table of undefined.
//
// The environment (node, CPU, cores, memory, OS, service versions, BullMQ version, git commit,
// date, profile) travels with the figures: a number without its machine is not evidence.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import type { Json } from '../src/contract.ts';
import { ResultsFileError, messageOf } from '../src/errors.ts';
import type { Measurement, Profile } from './types.ts';
import { summarize } from './stats.ts';

export const SCHEMA_VERSION = 1;
const here = path.dirname(fileURLToPath(import.meta.url));
export const RESULTS_DIR = path.join(here, 'results');
const schema = JSON.parse(readFileSync(path.join(here, 'results.schema.json'), 'utf8')) as object;

export interface Environment {
  readonly node: string;
  readonly os: string;
  readonly arch: string;
  readonly cpuModel: string;
  readonly cores: number;
  readonly memoryBytes: number;
  readonly redisVersion?: string;
  readonly redisOrigin?: string;
  readonly postgresVersion?: string;
  readonly postgresOrigin?: string;
  readonly bullmqVersion: string;
  /** The peers' versions (bench/peers.ts); absent in files from before they were measured. */
  readonly pQueueVersion?: string;
  readonly piscinaVersion?: string;
  readonly gitCommit: string;
  readonly date: string;
  readonly profile: Profile;
}

/** A measurement with its summary, as stored. */
export interface SummarizedMeasurement extends Measurement {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly spread: number;
  readonly noisy: boolean;
}

/** How compare and stability name one figure across results files. */
export const figureKey = (m: SummarizedMeasurement): string => `${m.scenario} · ${m.subject} · ${m.case} · ${m.metric}`;

/** A subject a scenario could not measure, with why and how to enable it. */
export interface Skipped {
  readonly scenario: string;
  readonly subject: string;
  /** When only one case could not run (a lab fault that does not apply to a runner). */
  readonly case?: string;
  readonly reason: string;
  readonly fix: string;
}

export interface BenchResults {
  readonly schemaVersion: typeof SCHEMA_VERSION;
  readonly environment: Environment;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly durationMs: number;
  /** Wall-clock time each scenario took, by name (absent in files from before it was kept). */
  readonly scenarioDurationsMs?: Readonly<Record<string, number>>;
  /** False when the run was interrupted: what finished is kept. */
  readonly complete: boolean;
  readonly scenarios: readonly string[];
  readonly subjects: readonly string[];
  readonly measurements: readonly SummarizedMeasurement[];
  readonly skipped: readonly Skipped[];
}

const ajv = new Ajv({ allErrors: true, strict: false });
const validate = ajv.compile<BenchResults>(schema);

export function withSummary(measurement: Measurement): SummarizedMeasurement {
  return { ...measurement, ...summarize(measurement.samples) };
}

function problems(): string {
  return (validate.errors ?? [])
    .slice(0, 5)
    .map((e) => `${e.instancePath || '(root)'} ${e.message ?? ''}`.trim())
    .join('; ');
}

/** Throws ResultsFileError unless `value` is a results file of the current schema version. */
export function checkResults(value: unknown, where: string): BenchResults {
  if (value !== null && typeof value === 'object' && 'schemaVersion' in value && value.schemaVersion !== SCHEMA_VERSION) {
    throw new ResultsFileError(where, `schemaVersion is ${JSON.stringify(value.schemaVersion)}, this version of need-a-queue reads ${SCHEMA_VERSION}`, 'run `need-a-queue bench` again to measure with this version, or use the need-a-queue version that wrote it');
  }
  if (!validate(value)) throw new ResultsFileError(where, `does not match bench/results.schema.json: ${problems()}`);
  return value;
}

export function writeResults(results: BenchResults, file: string): string {
  // Validated before writing, so a bug in the harness cannot leave a file nobody can read.
  checkResults(results, file);
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  writeFileSync(file, JSON.stringify(results, null, 2) + '\n');
  return file;
}

export function readResults(file: string): BenchResults {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ResultsFileError(file, `cannot be read (${messageOf(error)})`, 'check the path; results live in bench/results/');
  }
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch {
    throw new ResultsFileError(file, 'is not JSON (truncated or not a results file)');
  }
  return checkResults(value, file);
}

/** `bench/results/2026-11-28T17-30-00Z-quick.json`: sortable, one per run. */
export function defaultResultsFile(profile: Profile, date = new Date()): string {
  const stamp = date.toISOString().replace(/\.\d+Z$/, 'Z').replace(/:/g, '-');
  return path.join(RESULTS_DIR, `${stamp}-${profile}.json`);
}

function gitCommit(): string {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: here, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
}

/** The installed version of a dependency, from its own package.json (found above its entry point: some packages do not export that file). */
function versionOf(name: string): string {
  try {
    let dir = path.dirname(createRequire(import.meta.url).resolve(name));
    for (;;) {
      const file = path.join(dir, 'package.json');
      const manifest = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string }) : {};
      if (manifest.name === name && typeof manifest.version === 'string') return manifest.version;
      if (path.dirname(dir) === dir) return 'unknown';
      dir = path.dirname(dir);
    }
  } catch {
    return 'unknown';
  }
}

export function describeEnvironment(profile: Profile, services: { redis?: { version: string; origin: string }; postgres?: { version: string; origin: string } }): Environment {
  const cpus = os.cpus();
  return {
    node: process.version,
    os: `${os.type()} ${os.release()}`,
    arch: process.arch,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: Math.max(1, cpus.length),
    memoryBytes: os.totalmem(),
    ...(services.redis ? { redisVersion: services.redis.version, redisOrigin: services.redis.origin } : {}),
    ...(services.postgres ? { postgresVersion: services.postgres.version, postgresOrigin: services.postgres.origin } : {}),
    bullmqVersion: versionOf('bullmq'),
    pQueueVersion: versionOf('p-queue'),
    piscinaVersion: versionOf('piscina'),
    gitCommit: gitCommit(),
    date: new Date().toISOString(),
    profile,
  };
}

/** Notes must be JSON; this keeps `undefined` and NaN out of a file that must validate. */
export function jsonNotes(notes: Record<string, number | string | boolean | null | undefined>): Json {
  const out: Record<string, Json> = {};
  for (const [key, value] of Object.entries(notes)) {
    if (value === undefined || (typeof value === 'number' && !Number.isFinite(value))) continue;
    out[key] = value;
  }
  return out;
}
