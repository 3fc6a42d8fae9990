import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeResults } from '../../bench/results.ts';
import { sampleResults } from '../../bench/test-fixtures.ts';
import { scratchDirs } from '../testing/scratch-dir.ts';
import { clock, previousDurations, progressLine, timeLeftMs } from './bench-progress.ts';

const scratch = scratchDirs('naq-progress-');

describe('bench progress', () => {
  it('says which step of how many, the time taken and the time left', () => {
    expect(progressLine(['throughput', 'latency', 'memory'], 1, 83_000, 40_000)).toBe('scenario 2 of 3: latency · 1:23 elapsed · about 0:40 left');
    expect(progressLine(['throughput'], 0, 5_000, undefined)).toBe('scenario 1 of 1: throughput · 0:05 elapsed');
  });

  it('estimates what is left from the last run, never below zero for the current step', () => {
    const est = { throughput: 60_000, latency: 20_000, memory: 10_000 };
    expect(timeLeftMs(['throughput', 'latency', 'memory'], 1, 5_000, est)).toBe(25_000);
    expect(timeLeftMs(['throughput', 'latency', 'memory'], 1, 50_000, est)).toBe(10_000);
    expect(timeLeftMs(['throughput', 'lab'], 0, 0, est)).toBeUndefined();
    expect(timeLeftMs(['throughput'], 0, 0, undefined)).toBeUndefined();
  });

  it('reads the durations of the newest complete run of the same profile and subjects', () => {
    const dir = scratch();
    writeResults({ ...sampleResults(), scenarioDurationsMs: { throughput: 1 } }, path.join(dir, '2026-01-01T00-00-00Z-quick.json'));
    writeResults({ ...sampleResults(), scenarioDurationsMs: { throughput: 2 } }, path.join(dir, '2026-01-02T00-00-00Z-quick.json'));
    writeResults({ ...sampleResults(), complete: false, scenarioDurationsMs: { throughput: 3 } }, path.join(dir, '2026-01-03T00-00-00Z-quick.json'));
    const subjects = sampleResults().subjects;
    expect(previousDurations('quick', subjects, dir)).toEqual({ throughput: 2 });
    expect(previousDurations('quick', ['task'], dir)).toBeUndefined();
    expect(previousDurations('full', subjects, dir)).toBeUndefined();
    expect(clock(61_400)).toBe('1:01');
  });
});
