import { describe, expect, it } from 'vitest';
import { EMPTY, Mailbox } from './mailbox.ts';

/** Takes every message as [kind, payload], oldest first. */
function drain(mailbox: Mailbox): [number, unknown][] {
  const out: [number, unknown][] = [];
  for (let kind = mailbox.peekKind(); kind !== EMPTY; kind = mailbox.peekKind()) out.push([kind, mailbox.take()]);
  return out;
}

describe('Mailbox (kind, payload) pairs', () => {
  it('keeps each payload with its kind, in FIFO order, across growth and wrap-around', () => {
    const mailbox = new Mailbox(16);
    const out: [number, unknown][] = [];
    let next = 0;
    // Interleave pushes and takes so the head wraps before the buffer grows.
    for (let round = 0; round < 50; round++) {
      for (let i = 0; i < 7; i++, next++) mailbox.push(next % 3, `m${next}`);
      for (let i = 0; i < 5; i++) out.push([mailbox.peekKind(), mailbox.take()]);
    }
    out.push(...drain(mailbox));
    expect(out).toEqual(Array.from({ length: next }, (_, n) => [n % 3, `m${n}`]));
  });

  it('counts messages, not slots', () => {
    const mailbox = new Mailbox();
    mailbox.push(1, 'a');
    mailbox.push(2, 'b');
    expect(mailbox.size).toBe(2);
  });

  it('carries undefined payloads: emptiness is peekKind() === EMPTY, not an undefined take()', () => {
    const mailbox = new Mailbox();
    mailbox.push(1, undefined);
    expect(mailbox.peekKind()).toBe(1);
    expect(mailbox.take()).toBeUndefined();
    expect(mailbox.peekKind()).toBe(EMPTY);
  });

  it('forEach visits every message oldest first and removes none', () => {
    const mailbox = new Mailbox();
    mailbox.push(0, 'a');
    mailbox.push(1, 'b');
    const seen: [number, unknown][] = [];
    mailbox.forEach((kind, payload) => seen.push([kind, payload]));
    expect(seen).toEqual([[0, 'a'], [1, 'b']]);
    expect(mailbox.size).toBe(2);
  });

  it('clear visits every message oldest first and leaves the mailbox empty', () => {
    const mailbox = new Mailbox();
    mailbox.push(0, 'a');
    mailbox.push(1, 'b');
    const seen: [number, unknown][] = [];
    mailbox.clear((kind, payload) => seen.push([kind, payload]));
    expect(seen).toEqual([[0, 'a'], [1, 'b']]);
    expect(mailbox.size).toBe(0);
    expect(mailbox.peekKind()).toBe(EMPTY);
  });
});
