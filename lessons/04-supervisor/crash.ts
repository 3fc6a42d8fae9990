// A `crash` job (an exception thrown from a timer, which no promise
// can catch) sent to a supervised job server, in-process or in a
// worker thread, chosen by argv[2].
// Run: node --import tsx lessons/04-supervisor/crash.ts in-process
//  or: node --import tsx lessons/04-supervisor/crash.ts in-thread

import { callbacks } from '../../src/otp/examples/job-server.ts';
import type { JobReply, JobRequest } from '../../src/otp/examples/job-server.ts';
import { GenServer } from '../../src/otp/gen-server.ts';
import { Supervisor } from '../../src/otp/supervisor.ts';
import { ThreadServer } from '../../src/otp/thread-server.ts';

const where = process.argv[2];
const say = (line: string) => console.log(line);
const crashJob = { job: 'crash', data: null };

if (where === 'in-process') {
  // #region in-process
  const start = () => GenServer.start(callbacks, { name: 'jobs' });
  const supervisor = await Supervisor.start([{ id: 'jobs', start }]);
  supervisor.onEvent((event) => say(`supervisor: ${event.type}`));
  say('sending a crash job to the in-process server');
  supervisor.which('jobs')?.call(crashJob).catch(() => undefined);
  setTimeout(() => say('still alive a second later'), 1000);
  // #endregion in-process
} else if (where === 'in-thread') {
  // #region in-thread
  const server = '../../src/otp/examples/job-server.ts';
  const module = new URL(server, import.meta.url);
  const start = () =>
    ThreadServer.start<JobRequest, JobReply>({ module, name: 'jobs' });
  const supervisor = await Supervisor.start([{ id: 'jobs', start }]);
  const restarted = new Promise<void>((resolve) =>
    supervisor.onEvent((event) => {
      say(`supervisor: ${event.type}`);
      if (event.type === 'restarted') resolve();
    }),
  );
  const first = supervisor.which('jobs');
  say('sending a crash job to the thread-hosted server');
  await first?.call(crashJob).catch((error: unknown) => {
    say(`the call ended with ${(error as Error).name}`);
  });
  await restarted;
  const fresh = supervisor.which('jobs');
  const isNew = fresh !== undefined && fresh.threadId !== first?.threadId;
  say(`a new thread: ${isNew}`);
  const reply = await fresh?.call({ job: 'sleep', data: { ms: 1 } });
  say(`it answers: ${JSON.stringify(reply)}`);
  await supervisor.stop();
  say('still alive');
  // #endregion in-thread
} else {
  console.error('usage: crash.ts in-process|in-thread');
  process.exit(2);
}
