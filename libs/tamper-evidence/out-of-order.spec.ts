import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { outOfOrder } from './store-verification.js';

/** The longest strictly increasing subsequence's length, by trying every subset (small n). */
function longestRun(values: readonly number[]): number {
  let best = 0;
  for (let mask = 0; mask < 1 << values.length; mask += 1) {
    const kept = values.filter((_, i) => mask & (1 << i));
    if (kept.every((v, i) => i === 0 || kept[i - 1] < v)) best = Math.max(best, kept.length);
  }
  return best;
}

describe('outOfOrder: the events that left their recorded order', () => {
  it('names nothing in order, and exactly the two of a swap', () => {
    expect(outOfOrder([0, 1, 2, 3, 4])).toEqual([]);
    expect(outOfOrder([4, 1, 2, 3, 0, 5])).toEqual([4, 0]);
    expect(outOfOrder([])).toEqual([]);
  });

  it('leaves a longest increasing run: what it names is as little as can explain the order', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.nat(50), { maxLength: 9 }), (values) => {
        const named = new Set(outOfOrder(values));
        const kept = values.filter((v) => !named.has(v));
        expect(kept.every((v, i) => i === 0 || kept[i - 1] < v)).toBe(true);
        expect(kept.length).toBe(longestRun(values));
      }),
      { numRuns: 300 },
    );
  });
});
