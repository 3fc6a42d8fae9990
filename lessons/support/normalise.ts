// Output a lesson page shows must not change from run to run: times, pids and uuids are
// replaced by placeholders before a snapshot is compared. Lesson programs print counts and
// states, not durations, so little else varies.

const UUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;
const ISO_TIME = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z\b/g;

/** Replaces uuids, ISO times and the given pids with placeholders. */
export function normalise(text: string, pids: readonly number[] = []): string {
  let out = text.replace(UUID, '<uuid>').replace(ISO_TIME, '<time>');
  for (const pid of pids) out = out.replace(new RegExp(`\\b${pid}\\b`, 'g'), '<pid>');
  return out.endsWith('\n') ? out : `${out}\n`;
}
