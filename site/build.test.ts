// A build that fails on a page's mistake says so as the user's error (exit 2, the page and the
// fix), not as a stack trace: the errors VitePress and Rollup pass back are recognised here.

import { describe, expect, it } from 'vitest';
import { SiteSourceError } from '../src/errors.ts';
import { asSiteSourceError } from './build.ts';

describe('asSiteSourceError', () => {
  it.each([
    ['a SiteSourceError from the config bundle, passed on by Rollup', Object.assign(new Error('[vitepress] lessons/a.md:3: bad'), { code: 'PLUGIN_ERROR', pluginCode: 'SITE_SOURCE', where: 'lessons/a.md:3', problem: 'bad', fix: 'fix it' }), 'lessons/a.md:3: bad\n  fix: fix it'],
    ['one thrown as it is', Object.assign(new Error('x'), { code: 'SITE_SOURCE', where: 'lessons/b.md:1', problem: 'worse', fix: 'mend it' }), 'lessons/b.md:1: worse\n  fix: mend it'],
    ['VitePress\'s dead-link check', new Error('[vitepress] 7 dead link(s) found.'), 'lessons/: 7 link(s) point at pages that do not exist (listed above as "Found dead link")\n  fix: fix each link, or add the page it points at'],
  ])('turns %s into a SiteSourceError', (_what, error, message) => {
    const converted = asSiteSourceError(error);
    expect(converted).toBeInstanceOf(SiteSourceError);
    // As the CLI prints it: the one-line message, then the fix.
    expect(`${converted?.message ?? ''}\n  fix: ${converted?.fix ?? ''}`).toBe(message);
  });

  it.each([
    ['a bug', new Error('Cannot read properties of undefined')],
    ['another plugin\'s error', Object.assign(new Error('y'), { code: 'PLUGIN_ERROR', pluginCode: 'OTHER' })],
    ['not an error', 'string'],
  ])('leaves %s alone', (_what, error) => {
    expect(asSiteSourceError(error)).toBeUndefined();
  });
});
