import { describe, expect, it } from 'vitest';
import type { Json } from '../src/contract.ts';
import { besidePeers, describeRatio, peerFor, peerRatio } from './peers.ts';
import { withSummary, type BenchResults, type SummarizedMeasurement } from './results.ts';
import { UNBOUNDED_NOTE } from './subjects.ts';
import { sampleResults } from './test-fixtures.ts';

const tp = (subject: string, kase: string, samples: number[], notes: Json = { concurrency: 50 }) =>
  withSummary({ scenario: 'throughput', subject, case: kase, metric: 'jobs/s', unit: 'jobs/s', better: 'higher', samples, notes });

const heap = (subject: string, mb: number, accepted = 5000) =>
  withSummary({ scenario: 'memory', subject, case: '5000 pending', metric: 'heap growth', unit: 'MB', better: 'lower', samples: [mb], notes: { jobs: 5000, accepted } });

const run = (measurements: SummarizedMeasurement[]): BenchResults => ({ ...sampleResults(), subjects: [...new Set(measurements.map((m) => m.subject))], measurements });

describe('peers: what each subject is compared with', () => {
  it('compares each runner with the library a user would pick instead, and each peer with the layer under it', () => {
    expect(['fire-and-forget', 'task', 'genserver', 'stage'].map(peerFor)).toEqual(['p-queue', 'p-queue', 'p-queue', 'p-queue']);
    expect(peerFor('worker-pool')).toBe('piscina');
    expect([peerFor('bullmq-redis'), peerFor('bullmq-postgres')]).toEqual(['bullmq-raw-redis', 'bullmq-raw-postgres']);
    expect([peerFor('p-queue'), peerFor('p-queue-bare')]).toEqual(['p-queue-bare', 'promise-raw']);
    // The last floor, the libraries used directly, and anything unknown have no ratio.
    expect(['promise-raw', 'piscina', 'bullmq-raw-redis', 'idle', 'toString'].map(peerFor)).toEqual([undefined, undefined, undefined, undefined, undefined]);
  });

  it('orders a peer right after the last subject compared with it, its floors after it, and leaves the rest in place', () => {
    const ids = ['fire-and-forget', 'task', 'genserver', 'stage', 'worker-pool', 'bullmq-redis', 'bullmq-raw-redis', 'p-queue', 'piscina', 'promise-raw', 'p-queue-bare'];
    expect(besidePeers(ids)).toEqual(['fire-and-forget', 'task', 'genserver', 'stage', 'p-queue', 'p-queue-bare', 'promise-raw', 'worker-pool', 'piscina', 'bullmq-redis', 'bullmq-raw-redis']);
    // A peer whose runners are not in the run keeps its place.
    expect(besidePeers(['promise-raw', 'p-queue', 'worker-pool'])).toEqual(['promise-raw', 'p-queue', 'worker-pool']);
  });
});

describe('peer ratios: subject ÷ peer from one run, with the direction', () => {
  it('divides jobs/s by the peer’s in the same case: higher is better', () => {
    const task = tp('task', 'noop c=50', [25_000, 26_000, 24_000]);
    const ratio = peerRatio(run([task, tp('p-queue', 'noop c=50', [100_000, 100_000, 100_000]), tp('p-queue', 'sleep 5ms c=50', [9000])]), task);
    expect(ratio).toEqual({ peer: 'p-queue', ratio: 0.25, better: 'higher', of: 'jobs/s', noisy: false });
    expect(describeRatio(ratio!)).toBe('0.25× p-queue, higher is better: 75% slower');
  });

  it('marks a ratio noisy when either side’s repeats disagree', () => {
    const task = tp('task', 'noop c=50', [25_000, 25_000, 25_000]);
    expect(peerRatio(run([task, tp('p-queue', 'noop c=50', [60_000, 100_000, 100_000])]), task)?.noisy).toBe(true);
  });

  it('divides heap per pending job by the peer’s: lower is better', () => {
    const task = heap('task', 20);
    const ratio = peerRatio(run([task, heap('p-queue', 4)]), task);
    expect(ratio).toMatchObject({ peer: 'p-queue', ratio: 5, better: 'lower', of: 'heap per pending job' });
    expect(describeRatio(ratio!)).toBe('5.00× p-queue, lower is better: 400% more');
    expect(describeRatio({ ...ratio!, ratio: 0.8 })).toBe('0.80× p-queue, lower is better: 20% less');
  });

  it('says `the same` within half a percent either way', () => {
    expect(describeRatio({ peer: 'piscina', ratio: 1.004, better: 'higher', of: 'jobs/s', noisy: false })).toBe('1.00× piscina, higher is better: the same');
    expect(describeRatio({ peer: 'piscina', ratio: 1.02, better: 'higher', of: 'jobs/s', noisy: false })).toBe('1.02× piscina, higher is better: 2% faster');
  });

  it('gives no ratio where it would mislead or has nothing to divide by', () => {
    const unbounded = tp('fire-and-forget', 'sleep 5ms c=50', [50_000], { note: UNBOUNDED_NOTE });
    const held = heap('stage', 0.1, 51);
    const lonely = tp('genserver', 'noop c=50', [30_000]);
    const floor = tp('promise-raw', 'noop c=50', [9e6]);
    const results = run([unbounded, held, lonely, floor, tp('p-queue', 'sleep 5ms c=50', [9000]), heap('p-queue', 4)]);
    // No limit against a peer held to 50; a runner that held its producer back; a peer not measured in this case; the last floor.
    expect([unbounded, held, lonely, floor].map((m) => peerRatio(results, m))).toEqual([undefined, undefined, undefined, undefined]);
  });
});
