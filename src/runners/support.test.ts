import { describe, expect, it } from 'vitest';
import { errorSink } from './support.ts';

describe('errorSink (where errors with no caller go)', () => {
  it('writes one line per distinct error by default, not one per occurrence', () => {
    const lines: string[] = [];
    const sink = errorSink('bullmq-redis', undefined, (line) => lines.push(line));
    for (let i = 0; i < 500; i++) sink(new Error('connect ECONNREFUSED 127.0.0.1:6379'));
    sink(new Error('Connection is closed.'));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^\[bullmq-redis\] background error: connect ECONNREFUSED 127\.0\.0\.1:6379/);
    expect(lines[1]).toBe('[bullmq-redis] background error: Connection is closed.\n');
  });

  it('hands every error to onError when given, and survives a throwing handler', () => {
    const seen: string[] = [];
    const sink = errorSink('stage', (error) => {
      seen.push(error.message);
      throw new Error('handler bug');
    });
    expect(() => {
      sink(new Error('a'));
      sink(new Error('a'));
      sink('not an Error');
    }).not.toThrow();
    expect(seen).toEqual(['a', 'a', 'not an Error']);
  });
});
