// A runner in a child process, for the claims a test process cannot make about itself:
// that a crash ends an in-process runner's process, and that a durable runner's jobs are
// run by another process.
//
//   node --import tsx child.ts crash <runnerId>   submits `crash`; exits 0 only if it survives 3 s
//   node --import tsx child.ts serve <runnerId>   runs jobs until SIGTERM or stdin closes
// Runner options arrive as JSON in NAQ_CHILD_OPTIONS.

import type { RunnerOptions } from '../../contract.ts';
import { createRunner } from '../registry.ts';

const [mode, id] = process.argv.slice(2);
const options = JSON.parse(process.env.NAQ_CHILD_OPTIONS ?? '{}') as RunnerOptions;
const runner = await createRunner(id ?? '', options);

if (mode === 'crash') {
  runner.onEvent((event) => process.stdout.write(`${event.type}\n`));
  await runner.submit('crash', null);
  setTimeout(() => {
    process.stdout.write('survived\n');
    void runner.stop({ drain: false }).then(() => process.exit(0));
  }, 3000);
} else if (mode === 'serve') {
  runner.onEvent((event) => process.stdout.write(`${JSON.stringify(event)}\n`));
  const stop = () => void runner.stop({ drain: true, timeoutMs: 5000 }).then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.stdin.once('end', stop);
  process.stdin.resume();
  process.stdout.write('ready\n');
} else {
  process.stderr.write(`usage: child.ts crash|serve <runnerId>\n`);
  process.exit(2);
}
