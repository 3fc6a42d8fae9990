// A standalone outbox relay (outbox.ts): moves committed outbox rows of one PostgreSQL
// database into one BullMQ queue, until SIGTERM / SIGINT. Run it next to the app, or as
// many copies as you like (rows are taken with SKIP LOCKED):
//   node --import tsx src/runners/bullmq/fixes/outbox-relay-process.ts --database-url postgres://... \
//     --queue NAME [--runner bullmq-postgres|bullmq-redis] [--url QUEUE_URL] [--namespace schema-or-prefix]
//     [--table outbox_table] [--crash-after-add]
// The queue lives in the same database by default (`bullmq-postgres`, `--url` = `--database-url`).
// Prints `ready <pid>` once it listens. `--crash-after-add` is the fault tests' kill point: the
// process SIGKILLs itself after its first batch is in the queue and before the rows are deleted.

import { pathToFileURL } from 'node:url';
import { backendArgs, makeQueue, migratePostgres } from '../backend.ts';
import { parseTuning } from '../tuning.ts';
import { parseProcessFlags } from '../process-flags.ts';
import { startOutboxRelay } from './outbox.ts';
import { messageOf } from '../../../errors.ts';

export const OUTBOX_RELAY_PROCESS_FILE = new URL(import.meta.url).pathname;

async function main(argv: readonly string[]): Promise<void> {
  const { values: flags, switches } = parseProcessFlags(argv, ['crash-after-add']);
  const crashAfterAdd = switches.has('crash-after-add');
  const databaseUrl = flags.get('database-url') ?? process.env.DATABASE_URL;
  if (databaseUrl === undefined) throw new Error('--database-url (or DATABASE_URL) is required');
  const kind = (flags.get('runner') ?? 'bullmq-postgres') === 'bullmq-redis' ? 'redis' : 'postgres';
  const url = flags.get('url') ?? (kind === 'redis' ? process.env.REDIS_URL : databaseUrl);
  if (url === undefined) throw new Error('--url (or REDIS_URL) is required for bullmq-redis');
  const namespaceFlag = flags.get('namespace');
  const { namespace } = parseTuning(kind, namespaceFlag === undefined ? {} : { [kind === 'redis' ? 'prefix' : 'schema']: namespaceFlag });
  if (kind === 'postgres') await migratePostgres(url, namespace);
  const queue = makeQueue(flags.get('queue') ?? 'need-a-queue', backendArgs(kind, url, namespace));
  queue.on('error', (error: Error) => process.stderr.write(`relay: queue: ${error.message}\n`));
  const table = flags.get('table');
  const relay = await startOutboxRelay({
    databaseUrl,
    queues: [queue],
    ...(table === undefined ? {} : { table }),
    onError: (error) => process.stderr.write(`relay: ${error.message}\n`),
    ...(crashAfterAdd
      ? {
          afterAdd: (ids: readonly string[]) => {
            process.stdout.write(`added ${ids.join(',')}\n`);
            process.kill(process.pid, 'SIGKILL');
          },
        }
      : {}),
  });
  process.stdout.write(`ready ${process.pid}\n`);
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    relay.stop().then(() => queue.close()).then(
      () => process.exit(0),
      (error: unknown) => (process.stderr.write(`relay: stop failed: ${String(error)}\n`), process.exit(1)),
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`relay: ${messageOf(error)}\n`);
    process.exit(1);
  });
}
