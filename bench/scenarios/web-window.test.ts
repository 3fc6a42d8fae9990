// How one measuring window's requests become figures: only requests meant to go out while the
// jobs ran count, each timed from its intended send time, and an unanswered one is charged up
// to the moment the generator gave up, never dropped.

import { describe, expect, it } from 'vitest';
import { windowFigures } from './web-window.ts';

describe('windowFigures', () => {
  it('counts the requests meant to go out inside the window, timed from the intended send time', () => {
    const records = [
      { intended: 900, done: 901 }, // before the window: the idle lead-in
      { intended: 1000, done: 1250 }, // held up behind a blocked loop: 250 ms from when it was due
      { intended: 1002, done: 1250 },
      { intended: 1100, done: 1102 },
      { intended: 1300, done: 1301 }, // after the window
    ];
    const figures = windowFigures({ records, gaveUpAt: 2000 }, 1000, 1200);
    expect(figures.requests).toBe(3);
    expect(figures.unanswered).toBe(0);
    expect(figures.latency.max).toBe(250);
    expect(figures.latency.p50).toBeCloseTo(248, 0);
  });

  it('charges a request that never got an answer up to when the generator gave up', () => {
    const figures = windowFigures({ records: [{ intended: 1000 }, { intended: 1001, done: 1003 }], gaveUpAt: 6000 }, 1000, 1100);
    expect(figures.unanswered).toBe(1);
    expect(figures.latency.max).toBe(5000);
  });
});
