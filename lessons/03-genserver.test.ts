// Proves lesson 03: the kit's registry answers as the seed's does, a find after an add sees the
// added value (one mailbox, in order), a call to an idle server is handled inside call() while a
// cast waits for a microtask, and one busy handler holds up every other server in the process.

import { describe, expect, it } from 'vitest';
import { lookupValue } from '../src/jobs/catalogue.ts';
import { oneBusyServer, useTheRegistry, whenHandled } from './03-genserver/registry-example.ts';

function collect(): { lines: string[]; say: (line: string) => void } {
  const lines: string[] = [];
  return { lines, say: (line) => lines.push(line) };
}

describe('lesson 03: GenServer and Registry', () => {
  it('add (a cast) then find (a call): found with the computed value; a key never added is not found', async () => {
    const { lines, say } = collect();
    await useTheRegistry(say);
    expect(lines).toEqual([`find something → found\n  ${lookupValue('something')}`, 'find nothing → not found']);
    await expect(`${lines.join('\n')}\n`).toMatchFileSnapshot('./outputs/03-registry.txt');
  });

  it('a cast is handled after its sender goes on; a call to an idle server is handled before call() returns', async () => {
    const { lines, say } = collect();
    await whenHandled(say);
    expect(lines).toEqual(['cast sent', 'cast returned', '  handleCast ran', 'call sent', '  handleCall ran', 'call returned its promise', 'reply: 2']);
    await expect(`${lines.join('\n')}\n`).toMatchFileSnapshot('./outputs/03-when-handled.txt');
  });

  it('one server busy with CPU work holds up a call to another, idle server until its handler returns', async () => {
    const { lines, say } = collect();
    await oneBusyServer(say);
    expect(lines).toEqual(['resizer: finished 200 ms of CPU work', 'sessions: answered call 1']);
    await expect(`${lines.join('\n')}\n`).toMatchFileSnapshot('./outputs/03-busy.txt');
  });
});
