import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { missingFromSystem, missingLine, preflight } from './preflight.ts';

const nothingOnPath = () => undefined;
const nowhere = () => false;

describe('preflight: what the system lacks, in one line', () => {
  it('finds redis-server missing when it is not on PATH and REDIS_URL is unset', () => {
    expect(missingFromSystem(['redis-server'], { env: {}, which: nothingOnPath, exists: nowhere })).toEqual(['redis-server']);
  });

  it('takes REDIS_URL or a redis-server on PATH as present', () => {
    expect(missingFromSystem(['redis-server'], { env: { REDIS_URL: 'redis://h:1' }, which: nothingOnPath, exists: nowhere })).toEqual([]);
    expect(missingFromSystem(['redis-server'], { env: {}, which: (c) => (c === 'redis-server' ? '/usr/bin/redis-server' : undefined), exists: nowhere })).toEqual([]);
  });

  it('looks for Chromium where CHROMIUM_PATH points, else in the usual places', () => {
    expect(missingFromSystem(['chromium'], { env: {}, which: nothingOnPath, exists: (p) => p === '/usr/bin/chromium' })).toEqual([]);
    expect(missingFromSystem(['chromium'], { env: { CHROMIUM_PATH: '/opt/none' }, which: nothingOnPath, exists: (p) => p === '/usr/bin/chromium' })).toEqual(['chromium']);
  });

  it('names everything missing and one command that installs it all, on one line', () => {
    const line = missingLine('npm test', ['redis-server', 'chromium'], 'its Redis and browser tests cannot run');
    expect(line).toBe('npm test: this system lacks redis-server and chromium, so its Redis and browser tests cannot run. Get them: `sudo apt-get install redis-server chromium`, or set REDIS_URL / CHROMIUM_PATH.');
    expect(line).not.toContain('\n');
  });

  it('says nothing when nothing is missing', () => {
    expect(missingLine('npm start', [], 'whatever')).toBeUndefined();
  });

  it('prints in the README what npm test prints on a system without either', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const line = preflight('npm test', { env: {}, which: nothingOnPath, exists: nowhere });
    expect(line).toBeDefined();
    expect(readme).toContain(line);
  });
});
