// Jobs accepted by an in-process runner live only in this
// process's memory. This script accepts three long jobs and waits;
// the lesson's test SIGKILLs it while they run.
// Run: node --import tsx lessons/01-fire-and-forget/killed.ts

import { createRunner } from '../../src/runners/registry.ts';

const runner = await createRunner('fire-and-forget');
runner.onEvent((event) => console.log(`${event.type} ${event.job}`));
for (let i = 0; i < 3; i++) {
  await runner.submit('sleep', { ms: 60_000 });
}
// Jobs start on the next turn: say so once they have.
setImmediate(() => console.log('3 jobs in flight'));
