// Region markers as lessons write them: what a region shows, and every broken marker named.

import { describe, expect, it } from 'vitest';
import { dedent, extract, RegionError } from './regions.ts';

const file = [
  'import x from "y";',
  '// #region outer',
  'export function f() {',
  '  // #region inner',
  '  return 1;',
  '  // #endregion inner',
  '}',
  '// #endregion outer',
  '',
  'class A {',
  '    // #region method',
  '    m() {',
  '',
  '      return 2;',
  '    }',
  '    // #endregion method',
  '}',
  '# #region shell',
  'echo hi',
  '# #endregion shell',
  '<!-- #region md -->',
  'text',
  '<!-- #endregion md -->',
].join('\n');

describe('extract', () => {
  it.each([
    ['a region, nested markers stripped', 'outer', 'export function f() {\n  return 1;\n}'],
    ['a nested region, dedented', 'inner', 'return 1;'],
    ['an indented region, dedented, blank lines kept inside', 'method', 'm() {\n\n  return 2;\n}'],
    ['a region in # comments', 'shell', 'echo hi'],
    ['a region in <!-- --> comments', 'md', 'text'],
  ])('%s', (_what, name, expected) => {
    expect(extract(file, name)).toBe(expected);
  });

  it('without a name: the whole file, every marker stripped', () => {
    const whole = extract(file, undefined);
    expect(whole).not.toMatch(/#(end)?region/);
    expect(whole.split('\n')[0]).toBe('import x from "y";');
    expect(whole).toContain('echo hi');
  });

  it('CRLF files read like LF ones', () => {
    expect(extract(file.replace(/\n/g, '\r\n'), 'inner')).toBe('return 1;');
  });

  it.each([
    ['a missing region, listing the ones there', file, 'nope', /no region `nope` .*its regions: inner, outer, method, shell, md/],
    ['a missing region in a file with none', 'const a = 1;', 'nope', /no region `nope` \(it marks no regions\)/],
    ['an unclosed region', 'a\n// #region open\nb', 'open', /line 2: region `open` is never closed/],
    ['an unclosed region elsewhere in the file', '// #region a\nx\n// #endregion a\n// #region b\n', 'a', /region `b` is never closed/],
    ['a duplicated region', '// #region a\n// #endregion a\n// #region a\n// #endregion a', 'a', /line 3: region `a` is marked twice/],
    ['an #endregion with no #region', 'x\n// #endregion a', 'a', /line 2: #endregion `a` has no #region/],
    ['an unnamed marker', '// #region\nx\n// #endregion', undefined, /line 1: #region needs a lowercase-kebab name/],
    ['a name that is not lowercase-kebab', '// #region Call_Server\n// #endregion Call_Server', 'Call_Server', /lowercase-kebab name \(got `Call_Server`\)/],
  ])('fails on %s', (_what, text, name, message) => {
    expect(() => extract(text, name)).toThrow(RegionError);
    expect(() => extract(text, name)).toThrow(message);
  });
});

describe('dedent', () => {
  it.each([
    [['  a', '    b', '', '  c'], ['a', '  b', '', 'c']],
    [['\ta', '\t\tb'], ['a', '\tb']],
    [['a', '  b'], ['a', '  b']],
    [[], []],
  ])('%j → %j', (lines, expected) => {
    expect(dedent(lines)).toEqual(expected);
  });
});
