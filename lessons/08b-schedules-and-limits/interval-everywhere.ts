// The recurring job most Node apps start with: a timer in the app itself. With one instance it
// runs once a tick; with two (replicas, or old and new side by side during a deploy) every
// instance runs it, so every tick runs twice.

/** What the app does each tick, told which instance it runs in. */
export type DigestJob = (instance: string) => void;

/** Starts one instance of the app; returns its stop function. */
export function startAppInstance(instance: string, everyMs: number, sendDigest: DigestJob): () => void {
  // #region set-interval
  // In every instance of the app, at startup:
  const timer = setInterval(() => sendDigest(instance), everyMs);
  // #endregion set-interval
  return () => clearInterval(timer);
}
