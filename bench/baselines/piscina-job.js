// The job a piscina user writes for the `piscina` peer: plain JavaScript, loaded by piscina in
// each worker thread as it is (no loader, no kit code), doing the same work as the catalogue's
// noop, sleep and cpu jobs: a resolved value, a bare timer, the same spin loop.
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

export default async function run({ job, ms }) {
  if (job === 'sleep') await sleep(ms);
  if (job === 'cpu') {
    const end = performance.now() + ms;
    while (performance.now() < end);
  }
  return null;
}
