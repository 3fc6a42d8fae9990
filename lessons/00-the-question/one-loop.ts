// One thread runs a Node process's JavaScript, and nothing
// interrupts a running function: a timer that is due waits until
// the busy code returns.
// Run: node --import tsx lessons/00-the-question/one-loop.ts

// #region one-loop
/** Sets a timer due at once, then keeps the thread busy. */
export async function timerBehindBusyCode(
  busyMs: number,
): Promise<string[]> {
  const happened: string[] = [];
  const timerFired = new Promise<void>((resolve) =>
    setTimeout(() => {
      happened.push('timer fired');
      resolve();
    }, 0),
  );
  happened.push('timer set, due at once');
  const end = performance.now() + busyMs;
  // CPU work: a loop, a big JSON.parse, a regex, a hash
  while (performance.now() < end);
  happened.push(`busy for ${busyMs} ms, done`);
  await timerFired;
  return happened;
}
// #endregion one-loop

if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
  for (const line of await timerBehindBusyCode(100)) console.log(line);
}
