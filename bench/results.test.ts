import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ResultsFileError } from '../src/errors.ts';
import { readResults, writeResults, type BenchResults } from './results.ts';
import { sampleResults } from './test-fixtures.ts';
import { scratchDirs } from '../src/testing/scratch-dir.ts';

const tmp = scratchDirs('naq-results-');

describe('results files', () => {
  it('round-trips through the schema', () => {
    const file = path.join(tmp(), 'run.json');
    const results = sampleResults();
    writeResults(results, file);
    expect(readResults(file)).toEqual(results);
  });

  it('records the environment', () => {
    const env = sampleResults().environment;
    expect(env.cores).toBeGreaterThan(0);
    expect(env.node).toBe(process.version);
    expect(env.redisVersion).toBe('7.2.4');
    expect(env.bullmqVersion).toMatch(/^\d+\.\d+/);
    // The peers' versions too: a ratio to p-queue or piscina means little without which one.
    expect(env.pQueueVersion).toMatch(/^\d+\.\d+/);
    expect(env.piscinaVersion).toMatch(/^\d+\.\d+/);
  });

  it('refuses to write a file that would not validate', () => {
    const bad = { ...sampleResults(), measurements: [{ scenario: 'x' }] } as unknown as BenchResults;
    expect(() => writeResults(bad, path.join(tmp(), 'bad.json'))).toThrow(ResultsFileError);
  });

  it('names the fix for a file that is not JSON', () => {
    const file = path.join(tmp(), 'cut.json');
    writeFileSync(file, '{"schemaVersion": 1, "envir');
    const error = thrownBy(() => readResults(file));
    expect(error.message).toMatch(/is not JSON/);
    expect(error.fix).toMatch(/^run `need-a-queue bench`/);
  });

  it('says which version an old file has', () => {
    const file = path.join(tmp(), 'old.json');
    writeFileSync(file, JSON.stringify({ ...sampleResults(), schemaVersion: 0 }));
    expect(() => readResults(file)).toThrow(/schemaVersion is 0.*reads 1/);
  });

  it('names the field a corrupt file gets wrong', () => {
    const file = path.join(tmp(), 'corrupt.json');
    writeResults(sampleResults(), file);
    const value = JSON.parse(readFileSync(file, 'utf8')) as { measurements: { samples: unknown }[] };
    value.measurements[0]!.samples = 'many';
    writeFileSync(file, JSON.stringify(value));
    expect(() => readResults(file)).toThrow(ResultsFileError);
    expect(() => readResults(file)).toThrow(/\/measurements\/0\/samples/);
  });

  it('names the fix for a missing file', () => {
    const error = thrownBy(() => readResults(path.join(tmp(), 'nope.json')));
    expect(error.message).toMatch(/cannot be read/);
    expect(error.fix).toMatch(/check the path/);
  });
});

/** The ResultsFileError `read` throws: its message and its fix are separate fields. */
function thrownBy(read: () => unknown): ResultsFileError {
  try {
    read();
  } catch (error) {
    if (error instanceof ResultsFileError) return error;
    throw error;
  }
  throw new Error('expected a ResultsFileError, nothing was thrown');
}
