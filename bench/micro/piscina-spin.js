// The plain piscina worker a user would write instead of the kit's worker-pool: the catalogue's
// `cpu` spin loop (0 ms is the tiny-task round trip), nothing else. Used by peer-ratios.ts and micro.
import { performance } from 'node:perf_hooks';

export default function spin(ms) {
  const end = performance.now() + ms;
  let rounds = 0;
  while (performance.now() < end) rounds++;
  return { rounds };
}
