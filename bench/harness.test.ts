import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBench } from './harness.ts';
import { readResults } from './results.ts';
import { throughputPlan } from './scenarios/throughput.ts';
import { scratchDirs } from '../src/testing/scratch-dir.ts';

const scratch = scratchDirs('naq-harness-');
const tmpFile = () => path.join(scratch(), 'run.json');

describe('runBench', () => {
  it('measures every case of a runner and writes a file that reads back', async () => {
    const out = tmpFile();
    const { results, file } = await runBench({ runners: ['fire-and-forget'], baselines: [], scenarios: ['throughput'], profile: 'quick', out, signal: new AbortController().signal, progress: () => undefined });
    expect(file).toBe(out);
    expect(results.complete).toBe(true);
    expect(results.measurements.map((m) => m.case)).toEqual(['noop no limit', 'sleep 5ms no limit', 'cpu 2ms no limit']);
    // Quick takes as many samples as fit in its budget, within the plan's bounds.
    const { minRepeats, maxRepeats } = throughputPlan('quick');
    expect(results.measurements.every((m) => m.samples.length >= minRepeats && m.samples.length <= maxRepeats)).toBe(true);
    expect(readResults(out)).toEqual(results);
  });

  it('shows a subject it cannot run as a skipped row, never silently', async () => {
    const { results } = await runBench({ runners: ['no-such-runner'], baselines: [], scenarios: ['throughput'], profile: 'quick', out: false, signal: new AbortController().signal, progress: () => undefined });
    expect(results.measurements).toHaveLength(0);
    expect(results.skipped).toEqual([expect.objectContaining({ scenario: 'throughput', subject: 'no-such-runner' })]);
  });

  it('on abort keeps what finished and marks the run incomplete', async () => {
    const controller = new AbortController();
    const out = tmpFile();
    const { results } = await runBench({
      runners: ['fire-and-forget'],
      baselines: [],
      scenarios: ['throughput', 'latency'],
      profile: 'quick',
      out,
      signal: controller.signal,
      // Ctrl-C as the second sampling round starts: the first round's samples are kept.
      progress: (message) => {
        if (message.includes('round 2')) controller.abort();
      },
    });
    expect(results.complete).toBe(false);
    expect(results.measurements.map((m) => [m.case, m.samples.length])).toEqual([
      ['noop no limit', 1],
      ['sleep 5ms no limit', 1],
      ['cpu 2ms no limit', 1],
    ]);
    expect(readResults(out).complete).toBe(false);
  });
});
