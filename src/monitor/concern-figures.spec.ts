import { describe, expect, it } from '@jest/globals';
import { CONCERN_CATEGORIES, type ConcernCategory } from '../concerns/concern.model.js';
import {
  buildConcernReport,
  CONCERN_OUTCOMES,
  type ConcernGroupCounts,
  type ConcernOutcome,
  type PublishedConcernFigures,
} from './concern-figures.js';

const group = (
  name: string,
  categories: Partial<Record<ConcernCategory, number>>,
  outcomes: Partial<Record<ConcernOutcome, number>>,
): ConcernGroupCounts => ({
  group: name,
  categories: Object.fromEntries(CONCERN_CATEGORIES.map((c) => [c, categories[c] ?? 0])) as Record<
    ConcernCategory,
    number
  >,
  outcomes: Object.fromEntries(CONCERN_OUTCOMES.map((o) => [o, outcomes[o] ?? 0])) as Record<
    ConcernOutcome,
    number
  >,
});

/** No row (nor the totals) may leave exactly one figure of a partition withheld beside a known sum. */
function expectNoSubtraction(figures: PublishedConcernFigures) {
  if (figures.concerns === null) return;
  for (const part of [figures.categories, figures.outcomes]) {
    expect(Object.values(part).filter((v) => v === null)).not.toHaveLength(1);
  }
}

describe('the concerns of the monitor', () => {
  it('publishes every count of a wijk with enough concerns, zeros included', () => {
    const report = buildConcernReport([
      group('Haven', { school_absence: 5, debts: 6 }, { linked: 5, open: 6 }),
      group('Poort', { neglect: 7 }, { dismissed: 7 }),
    ]);
    expect(report.rows[0]).toMatchObject({
      group: 'Haven',
      concerns: 11,
      categories: { school_absence: 5, debts: 6, safety: 0 },
      outcomes: { linked: 5, open: 6, registered: 0 },
      suppressed: false,
      suppressedCells: [],
    });
    expect(report.totals).toMatchObject({ concerns: 18, categories: { neglect: 7 } });
  });

  it('withholds counts under 5, and what would give them away within the row or across wijken', () => {
    const report = buildConcernReport([
      group('Haven', { school_absence: 8, safety: 2 }, { linked: 6, registered: 4 }),
      group('Poort', { school_absence: 9, debts: 6 }, { open: 15 }),
    ]);
    const [haven, poort] = report.rows;
    expect(haven.categories.safety).toBeNull();
    expect(haven.outcomes.registered).toBeNull();
    expect(haven.suppressed).toBe(true);
    expect(haven.suppressedCells).toEqual(
      expect.arrayContaining(['categories.safety', 'outcomes.registered']),
    );
    // Haven's 10 concerns minus its 8 school absences would give the 2 safety concerns away.
    expectNoSubtraction(haven);
    expectNoSubtraction(poort);
    expectNoSubtraction(report.totals);
    // Nor may the city's safety concerns (the same 2) be published.
    expect(report.totals.categories.safety).toBeNull();
  });

  it('publishes nothing of a wijk with fewer than 5 concerns, not even zeros', () => {
    const report = buildConcernReport([
      group('Haven', { loneliness: 3 }, { open: 3 }),
      group('Poort', { debts: 6, neglect: 5 }, { closed: 11 }),
      group('Buiten', {}, {}),
    ]);
    for (const row of [report.rows[0], report.rows[2]]) {
      expect(row.concerns).toBeNull();
      expect(Object.values(row.categories).every((v) => v === null)).toBe(true);
      expect(Object.values(row.outcomes).every((v) => v === null)).toBe(true);
      expect(row.suppressed).toBe(true);
    }
    // Two withheld rows: the city's 14 minus Poort's 11 says only that Haven and Buiten have 3.
    expect([report.totals.concerns, report.rows[1].concerns]).toEqual([14, 11]);
    // Alone beside Poort, Haven's 3 would follow from the totals: one of them is withheld too.
    const two = buildConcernReport([
      group('Haven', { loneliness: 3 }, { open: 3 }),
      group('Poort', { debts: 6, neglect: 5 }, { closed: 11 }),
    ]);
    expect(two.rows[0].concerns).toBeNull();
    expect(two.totals.concerns === null || two.rows[1].concerns === null).toBe(true);
    expect(two.totals.categories.loneliness).toBeNull();
  });

  it('refuses counts whose categories and outcomes count different concerns', () => {
    expect(() => buildConcernReport([group('Haven', { debts: 6 }, { open: 5 })])).toThrow(
      RangeError,
    );
  });
});
