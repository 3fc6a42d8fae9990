// The file the web-server scenario's load generator thread starts from. Node 20 does not pass
// tsx's loader on to worker threads, so register it here, then load the TypeScript generator.
import { register } from 'tsx/esm/api';

register();
await import('./web-load.ts');
