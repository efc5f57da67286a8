import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { suppressLinked } from './suppression.js';
import { recoverOverYear, type PartYear, type PublishedPeriod } from './year-recovery-attack.js';
import {
  monthsOf,
  quarterPeriod,
  suppressOverYear,
  YEAR_PERIOD,
  YEAR_PERIODS,
  type YearSuppression,
} from './year-suppression.js';

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

/** A part with counts in some months (1..12), nothing in the others. */
function part(a: string, b: string, byMonth: Record<number, number[]>): PartYear {
  return {
    a,
    b,
    months: Array.from({ length: 12 }, (_, m) => byMonth[m + 1]),
  };
}

/** The counts of a group (its parts) in period t; undefined when it had nothing then. */
function countsOf(parts: readonly PartYear[], t: number, measures: number) {
  if (!parts.some((p) => monthsOf(t).some((m) => p.months[m] !== undefined))) return undefined;
  return Array.from({ length: measures }, (_, c) =>
    sum(parts.map((p) => sum(monthsOf(t).map((m) => p.months[m]?.[c] ?? 0)))),
  );
}

/** What a reader collects: every period's answer per a and per b, withheld as null. */
function publish(parts: readonly PartYear[], s: YearSuppression, measures: number) {
  return s.periods.map((period, t): PublishedPeriod => {
    const figures = (key: 'a' | 'b', flags: ReadonlyMap<string, boolean[]>) =>
      new Map(
        [...flags].map(([name, hidden]) => {
          const counts = countsOf(
            parts.filter((p) => p[key] === name),
            t,
            measures,
          )!;
          return [name, counts.map((v, c) => (hidden[c] ? null : v))];
        }),
      );
    const totals = countsOf(parts, t, measures) ?? new Array(measures).fill(0);
    return {
      a: figures('a', period.a),
      b: figures('b', period.b),
      totals: totals.map((v, c) => (period.totals[c] ? null : v)),
    };
  });
}

/** The README's table: Kruidenwijk 5, 5, 5 and 3 cases in four quarters; Vaarten 5 in Q4. */
const readmeCase = [
  part('Kruidenwijk', 'Buiten', { 2: [5], 5: [5], 8: [5], 11: [3] }),
  part('Vaarten', 'Hout', { 11: [5] }),
];

describe('suppression over a whole year (months, quarters, the year)', () => {
  it('lets the year minus three quarters give a quarter away when periods are protected apart', () => {
    // The old way, one period at a time: the attack on the year's answers finds the 3.
    const perPeriod: YearSuppression = {
      periods: Array.from({ length: YEAR_PERIODS }, (_, t) =>
        suppressLinked({
          parts: readmeCase.flatMap((p) => {
            const counts = countsOf([p], t, 1);
            return counts ? [{ a: p.a, b: p.b, counts }] : [];
          }),
          measures: 1,
          groupSize: 0,
        }),
      ),
    };
    const recovered = recoverOverYear(readmeCase, publish(readmeCase, perPeriod, 1), 0);
    expect(recovered).toContainEqual(
      expect.objectContaining({ unknown: 'a Kruidenwijk @ Q4', value: 3 }),
    );
  });

  it('withholds more of the year, so that the year minus three quarters fails', () => {
    const s = suppressOverYear({ parts: readmeCase, measures: 1, groupSize: 0 });
    const published = publish(readmeCase, s, 1);
    const cases = (t: number) => published[t].a.get('Kruidenwijk')![0];
    expect(cases(quarterPeriod(3))).toBeNull();
    const others = [YEAR_PERIOD, quarterPeriod(0), quarterPeriod(1), quarterPeriod(2)].map(cases);
    expect(others).toContain(null);
    expect(recoverOverYear(readmeCase, published, 0)).toEqual([]);
  });

  it('publishes a year without small counts untouched, and leaves out empty periods', () => {
    const parts = [
      part('A', 'X', { 1: [7, 0], 4: [12, 6] }),
      part('B', 'X', { 1: [9, 5] }),
      part('C', 'Y', { 4: [20, 0] }),
    ];
    const s = suppressOverYear({ parts, measures: 2, groupSize: 0 });
    for (const period of s.periods) {
      expect([...period.a.values(), ...period.b.values(), period.totals].flat()).not.toContain(
        true,
      );
    }
    // February: nobody; April: A and C only.
    expect(s.periods[1].a.size).toBe(0);
    expect([...s.periods[3].a.keys()]).toEqual(['A', 'C']);
    expect([...s.periods[quarterPeriod(0)].a.keys()]).toEqual(['A', 'B']);
  });

  it('gives the same suppression whatever order the parts come in', () => {
    const parts = [
      part('A', 'X', { 1: [7, 1], 5: [3, 0] }),
      part('B', 'X', { 1: [9, 5], 12: [2, 2] }),
      part('C', 'Y', { 5: [20, 3] }),
      part('A', 'Y', { 12: [6, 0] }),
    ];
    const forward = suppressOverYear({ parts, measures: 2, groupSize: 0 });
    const backward = suppressOverYear({ parts: [...parts].reverse(), measures: 2, groupSize: 0 });
    expect(backward).toEqual(forward);
  });

  it('refuses parts that do not match the measures or the months', () => {
    const parts = [part('A', 'X', { 1: [7] })];
    expect(() => suppressOverYear({ parts, measures: 2, groupSize: 0 })).toThrow(RangeError);
    expect(() => suppressOverYear({ parts, measures: 1, groupSize: 1 })).toThrow(RangeError);
    expect(() =>
      suppressOverYear({ parts: [{ a: 'A', b: 'X', months: [[7]] }], measures: 1, groupSize: 0 }),
    ).toThrow(RangeError);
  });

  describe('on random years (wijken in 1..2 stadsdelen, a few months each)', () => {
    const counts = fc.tuple(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 4 }));
    const monthsOfPart = fc
      .array(fc.tuple(fc.integer({ min: 1, max: 12 }), counts), { minLength: 1, maxLength: 4 })
      .map((entries) => Object.fromEntries(entries.map(([m, c]) => [m, [...c]])));
    const years = fc.uniqueArray(
      fc.record({
        a: fc.constantFrom('A', 'B', 'C'),
        b: fc.constantFrom('X', 'Y'),
        months: monthsOfPart,
      }),
      { minLength: 1, maxLength: 4, selector: (p) => `${p.a}/${p.b}` },
    );

    it('publishes no count 1..4 and nothing of a small group, in any period', () => {
      fc.assert(
        fc.property(years, (list) => {
          const parts = list.map((p) => part(p.a, p.b, p.months));
          const s = suppressOverYear({ parts, measures: 2, groupSize: 0 });
          publish(parts, s, 2).forEach((period, t) => {
            for (const [key, figures] of [
              ['a', period.a],
              ['b', period.b],
            ] as const) {
              for (const [name, values] of figures) {
                expect(values.filter((v) => v !== null && v >= 1 && v <= 4)).toEqual([]);
                const small = (key === 'a' ? s.periods[t].smallA : s.periods[t].smallB).has(name);
                if (small) expect(values).toEqual([null, null]);
              }
            }
            expect(period.totals.filter((v) => v !== null && v >= 1 && v <= 4)).toEqual([]);
          });
        }),
        { numRuns: 100 },
      );
    });

    it('withstands the attack on every answer of the year, both groupings read together', () => {
      fc.assert(
        fc.property(years, (list) => {
          const parts = list.map((p) => part(p.a, p.b, p.months));
          const s = suppressOverYear({ parts, measures: 2, groupSize: 0 });
          expect(recoverOverYear(parts, publish(parts, s, 2), 0)).toEqual([]);
        }),
        { numRuns: 100 },
      );
    });
  });
});
