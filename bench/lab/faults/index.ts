// Every fault the lab knows, in the order the matrix shows them: the control, faults from a
// job, faults to the process, overload, then faults to a store.

import type { Fault } from '../cell.ts';
import { crash, hang, hangTimeout, none, throws } from './job-faults.ts';
import { overload } from './overload.ts';
import { sigkill, sigterm } from './process-faults.ts';
import { postgresImmediate, redisFaults } from './store-faults.ts';

export const faults: readonly Fault[] = [none, throws, crash, hang, hangTimeout, sigkill, sigterm, overload, ...redisFaults, postgresImmediate];

export const faultIds: readonly string[] = faults.map((f) => f.id);
