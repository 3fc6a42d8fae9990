// The file a ThreadServer's worker thread starts from. Node 20 does not pass tsx's loader on
// to worker threads, so register it here, then load the TypeScript host.
import { register } from 'tsx/esm/api';

register();
await import('./thread-host.ts');
