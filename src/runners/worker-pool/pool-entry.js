// The file piscina loads in each worker thread. Node 20 does not pass tsx's loader on to
// worker threads (neither `--import tsx` in execArgv nor the parent's hooks), so register it
// here, then load the TypeScript worker and hand its handler to piscina.
import { register } from 'tsx/esm/api';

register();
const { default: handler } = await import('./pool-worker.ts');
export default handler;
