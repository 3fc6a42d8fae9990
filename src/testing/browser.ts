// A real browser for page tests: Debian's Chromium driven by playwright-core (no bundled
// browser download). CHROMIUM_PATH overrides where it is. Flags as this kind of machine needs
// them: headless, no sandbox as root, and no background networking (a closed network refuses
// those connections by the dozen).

import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { ServiceUnavailableError } from '../errors.ts';
import { CHROMIUM_CANDIDATES } from '../services/preflight.ts';

export function chromiumPath(): string {
  const asked = process.env.CHROMIUM_PATH;
  if (asked !== undefined && asked !== '') {
    if (!existsSync(asked)) throw new ServiceUnavailableError('chromium', `CHROMIUM_PATH=${asked} does not exist`, 'point CHROMIUM_PATH at a Chromium or Chrome binary, or unset it');
    return asked;
  }
  const found = CHROMIUM_CANDIDATES.find((path) => existsSync(path));
  if (found === undefined) {
    throw new ServiceUnavailableError('chromium', `No Chromium found (looked in ${CHROMIUM_CANDIDATES.join(', ')})`, 'install it (Debian/Ubuntu: `sudo apt-get install chromium`) or set CHROMIUM_PATH to a Chromium or Chrome binary');
  }
  return found;
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    timeout: 30_000,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
