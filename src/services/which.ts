// How it works: look a command up in PATH the way a shell does (first executable match),
// without spawning `which`, which is not on every system. Tests inject their own lookup.

import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export type Which = (command: string) => string | undefined;

export function whichIn(path: string | undefined): Which {
  const dirs = (path ?? '').split(delimiter).filter((dir) => dir !== '');
  return (command) => {
    for (const dir of dirs) {
      const candidate = join(dir, command);
      try {
        accessSync(candidate, constants.X_OK);
        if (statSync(candidate).isFile()) return candidate;
      } catch {
        // not here; try the next directory
      }
    }
    return undefined;
  };
}

export const which: Which = (command) => whichIn(process.env.PATH)(command);
