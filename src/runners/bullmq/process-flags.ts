// The argv of the kit's own child processes (worker-process.ts, fixes/outbox-relay-process.ts):
// `--name value` pairs and bare `--switch`es. They are spawned by the kit and its tests, not
// typed by users (the CLI, with commander, is for that), so this stays this small.

export interface ProcessFlags {
  /** `--name value`, by name without the dashes. */
  readonly values: ReadonlyMap<string, string>;
  /** Which of the given switches were present, by name without the dashes. */
  readonly switches: ReadonlySet<string>;
}

/** Reads `argv`; a flag named in `switchNames` takes no value. */
export function parseProcessFlags(argv: readonly string[], switchNames: readonly string[] = []): ProcessFlags {
  const values = new Map<string, string>();
  const switches = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const name = (argv[i] ?? '').replace(/^--/, '');
    if (switchNames.includes(name)) switches.add(name);
    else values.set(name, argv[++i] ?? '');
  }
  return { values, switches };
}
