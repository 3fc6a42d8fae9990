// Prints the OTP micro benchmarks with their raw baselines and ratios, until the bench CLI
// runs them (`need-a-queue bench --scenarios micro`):  npx tsx bench/micro/otp-run.ts [filter]

import { Bench } from 'tinybench';
import { microSuites } from './otp.ts';

const filter = process.argv[2];
const timeMs = Number(process.env.OTP_BENCH_MS ?? 1000);

for (const suite of microSuites) {
  if (filter !== undefined && !suite.name.includes(filter)) continue;
  const prepared = await suite.setup();
  const cases = prepared.cases;
  const bench = new Bench({ time: timeMs, warmup: true });
  for (const microCase of cases) bench.add(microCase.name, () => microCase.fn());
  await bench.run();
  const perOp = new Map<string, { opsPerSec: number; nsPerOp: number }>();
  for (const task of bench.tasks) {
    const microCase = cases.find((c) => c.name === task.name);
    const result = task.result;
    if (microCase === undefined || !('latency' in result)) continue;
    // Median time of one batch, divided by the batch: the median cost of one operation.
    const nsPerOp = (result.latency.p50 * 1e6) / microCase.batch;
    perOp.set(task.name, { opsPerSec: 1e9 / nsPerOp, nsPerOp });
  }
  process.stdout.write(`\n${suite.name}\n`);
  for (const microCase of cases) {
    const figure = perOp.get(microCase.name);
    if (figure === undefined) continue;
    const base = microCase.baselineOf === undefined ? undefined : perOp.get(microCase.baselineOf);
    const ratio = base === undefined ? '' : `  ${(figure.nsPerOp / base.nsPerOp).toFixed(2)}× raw`;
    process.stdout.write(`  ${microCase.name.padEnd(34)} ${Math.round(figure.opsPerSec).toLocaleString('en-US').padStart(12)} ops/s  ${(figure.nsPerOp / 1000).toFixed(3).padStart(8)} µs/op${ratio}\n`);
  }
  await prepared.teardown();
}
