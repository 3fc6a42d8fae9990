// The processor file BullMQ loads in each sandbox (a forked child process, or a worker thread
// with `useWorkerThreads: true`). Neither inherits a TypeScript loader reliably: vitest's own
// transform never reaches a fork, and Node 20 passes no loader hooks to worker threads. So
// register tsx here (as src/runners/worker-pool/pool-entry.js does), then load the TypeScript
// processor. BullMQ does `import(file)` and calls the default export.
import { register } from 'tsx/esm/api';

register();
const { default: processor } = await import('./sandboxed-job.ts');
export default processor;
