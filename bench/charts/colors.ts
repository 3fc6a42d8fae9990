// One colour per runner, the same on every chart of the report page and the lessons site, and
// a runner's peer (the library without the kit) in the runner's own hue, hatched: "bullmq-redis
// beside bullmq-raw-redis" reads as one family. Mid-tone hues, readable on a light and a dark page.

export interface SubjectStyle {
  readonly color: string;
  /** Raw baselines are hatched in the hue of what they are the baseline of. */
  readonly hatched: boolean;
}

const HUES: Readonly<Record<string, string>> = {
  'fire-and-forget': '#d99a0b',
  task: '#3ca951',
  genserver: '#4269d0',
  stage: '#8c6bdf',
  'worker-pool': '#e0569b',
  'bullmq-redis': '#dc3d2a',
  'bullmq-postgres': '#1f8a94',
  elixir: '#a0609a',
  neutral: '#8a8f98',
};

const FALLBACK = ['#6f8fcf', '#c9792c', '#5aa67a', '#b45b7c', '#7d7bb5', '#a3894a'];

/** The runner a subject belongs to, for its colour: a baseline maps to what it is the baseline of. */
function familyOf(subject: string): { family: string; hatched: boolean } {
  if (subject === 'bullmq-raw-redis') return { family: 'bullmq-redis', hatched: true };
  if (subject === 'bullmq-raw-postgres') return { family: 'bullmq-postgres', hatched: true };
  // worker-pool's peer is the thread pool it is built on.
  if (subject === 'piscina') return { family: 'worker-pool', hatched: true };
  // The in-process runners' peer and the floors under it belong to no one runner: neutral.
  if (subject === 'p-queue' || subject === 'p-queue-bare' || subject === 'promise-raw') return { family: 'neutral', hatched: true };
  if (subject === 'idle') return { family: 'neutral', hatched: false };
  if (subject.startsWith('elixir-')) return { family: 'elixir', hatched: false };
  // The micro benchmarks' subjects are the OTP pieces the runners are built from.
  if (subject === 'otp-task') return { family: 'task', hatched: false };
  if (subject === 'otp-genserver') return { family: 'genserver', hatched: false };
  if (subject === 'otp-thread') return { family: 'worker-pool', hatched: false };
  return { family: subject, hatched: false };
}

export function styleOf(subject: string): SubjectStyle {
  const { family, hatched } = familyOf(subject);
  const known = HUES[family];
  if (known !== undefined) return { color: known, hatched };
  let hash = 0;
  for (const char of family) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return { color: FALLBACK[hash % FALLBACK.length] ?? '#888888', hatched };
}
