// `micro`: per-operation costs with tinybench, over every MicroSuite found in bench/micro/*.ts.
// Each case runs `batch` operations per call and the batch's median time is divided by the
// batch, because one timer read per sub-microsecond operation would swamp it.
// Kit cases name the raw case they wrap (`baselineOf`); the ratio of medians measured in the
// same run is stored in the notes and printed. Setup and teardown stay outside the timing.
// Where `elixir` is on PATH, the same operations timed on the BEAM follow (micro/elixir.ts).

import { Bench } from 'tinybench';
import { findMicroSuites } from '../discover.ts';
import { elixirMicro } from '../micro/elixir.ts';
import { jsonNotes } from '../results.ts';
import { median } from '../stats.ts';
import { guarded } from '../subjects.ts';
import type { Measurement, Scenario } from '../types.ts';

export const micro: Scenario = {
  name: 'micro',
  summary: 'tinybench per-operation costs (µs/op, timed in batches) of kit operations beside the raw ones they wrap',
  async run(context) {
    const out: Measurement[] = [];
    const full = context.profile === 'full';
    const repeats = full ? 5 : 2;
    const timeMs = full ? 1000 : 150;
    // tinybench warms each case up for 250 ms by default: in quick, that was most of the
    // scenario's time once the peer suites came (a JIT-warm batch needs far less).
    const warmupTime = full ? 250 : 50;
    for (const suite of await findMicroSuites()) {
      if (context.signal.aborted) break;
      await guarded(context, suite.name, async () => {
        const prepared = await suite.setup();
        try {
          const perRun = new Map<string, number[]>();
          for (let r = 0; r < repeats && !context.signal.aborted; r++) {
            context.progress(`micro ${suite.name}: run ${r + 1}/${repeats}`);
            const bench = new Bench({ time: timeMs, warmup: true, warmupTime });
            for (const c of prepared.cases) bench.add(c.name, () => c.fn());
            await bench.run();
            for (const task of bench.tasks) {
              const c = prepared.cases.find((x) => x.name === task.name);
              const result = task.result;
              if (c === undefined || !('latency' in result)) continue;
              perRun.set(c.name, [...(perRun.get(c.name) ?? []), (result.latency.p50 * 1000) / c.batch]);
            }
          }
          for (const c of prepared.cases) {
            const samples = perRun.get(c.name);
            if (samples === undefined || samples.length === 0) continue;
            const base = c.baselineOf === undefined ? undefined : perRun.get(c.baselineOf);
            out.push({
              scenario: 'micro',
              subject: suite.name,
              case: c.name,
              metric: 'µs/op',
              unit: 'µs',
              better: 'lower',
              samples,
              notes: jsonNotes({ batch: c.batch, baselineOf: c.baselineOf, ratioToRaw: base === undefined ? undefined : Number((median(samples) / median(base)).toFixed(2)) }),
            });
          }
        } finally {
          await prepared.teardown();
        }
      });
    }
    // The seed's own operations on the BEAM, when Elixir is installed (a skip row when not).
    if (!context.signal.aborted) await guarded(context, 'elixir', async () => void out.push(...(await elixirMicro(context, repeats, timeMs))));
    return out;
  },
};
