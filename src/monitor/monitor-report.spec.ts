import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  buildMonitorReport,
  COUNT_FIELDS,
  type GroupBy,
  type GroupFigures,
  type MonitorYear,
  type OverallFigures,
  type PartCounts,
} from './monitor-report.js';
import { recoverLinked } from './recovery-attack.js';
import { recoverOverYear } from './year-recovery-attack.js';

// A fixed calendar period: the monitor answers no other (monitor-period.ts).
const PERIOD = { groupBy: 'wijk' as const, period: '2026', from: '2026-01-01', to: '2026-12-31' };

/** Each wijk in a stadsdeel of its own, unless told. */
function partsOf(groups: GroupFigures[], stadsdeelOf = (wijk: string) => `S ${wijk}`) {
  return groups.map((g): PartCounts => ({
    wijk: g.group,
    stadsdeel: stadsdeelOf(g.group),
    ...(Object.fromEntries(COUNT_FIELDS.map((field) => [field, g[field]])) as Record<
      (typeof COUNT_FIELDS)[number],
      number
    >),
  }));
}

/**
 * The figures as the only month of their year (January): the year and its first quarter are
 * that month, so the year's answer is the one-period table these tests were written for.
 */
function inJanuary(
  parts: PartCounts[],
  groups: GroupFigures[],
  overall: OverallFigures,
): MonitorYear {
  return {
    months: parts.length === 0 ? [] : [{ month: 1, parts, groups, overall }],
    medians: {
      groups: new Map(groups.map((g) => [g.group, g.medianDaysToAgreement])),
      overall: overall.medianDaysToAgreement,
    },
  };
}

/** The monitor per wijk, from groups that are wijken each in a stadsdeel of its own. */
function report(groups: GroupFigures[], overall = overallOf(groups)) {
  return buildMonitorReport(PERIOD, inJanuary(partsOf(groups), groups, overall));
}

const group = (name: string, figures: Partial<GroupFigures> = {}): GroupFigures => ({
  group: name,
  activeCases: 10,
  plansAgreed: 8,
  medianDaysToAgreement: 12,
  escalationsLevel0: 6,
  escalationsLevel1: 0,
  escalationsLevel2: 0,
  goalsAchieved: 3,
  goalsAssessed: 9,
  ...figures,
});

function overallOf(groups: GroupFigures[], median: number | null = 10): OverallFigures {
  const total = (field: keyof OverallFigures) =>
    groups.reduce((sum, g) => sum + ((g[field] as number) ?? 0), 0);
  return {
    activeCases: total('activeCases'),
    plansAgreed: total('plansAgreed'),
    medianDaysToAgreement: median,
    escalationsLevel0: total('escalationsLevel0'),
    escalationsLevel1: total('escalationsLevel1'),
    escalationsLevel2: total('escalationsLevel2'),
    goalsAchieved: total('goalsAchieved'),
    goalsAssessed: total('goalsAssessed'),
  };
}

describe('the published policy monitor', () => {
  it('publishes large groups as they are, with the share to 2 decimals', () => {
    const groups = [group('Haven'), group('Centrum', { activeCases: 20, plansAgreed: 15 })];
    const r = report(groups, overallOf(groups, 11.5));
    expect(r).toEqual({
      ...PERIOD,
      minimumCount: 5,
      rows: [
        {
          group: 'Centrum',
          activeCases: 20,
          plansAgreed: 15,
          medianDaysToAgreement: 12,
          escalationsLevel0: 6,
          escalationsLevel1: 0,
          escalationsLevel2: 0,
          goalsAchievedShare: 0.33,
          suppressed: false,
          suppressedCells: [],
        },
        {
          group: 'Haven',
          activeCases: 10,
          plansAgreed: 8,
          medianDaysToAgreement: 12,
          escalationsLevel0: 6,
          escalationsLevel1: 0,
          escalationsLevel2: 0,
          goalsAchievedShare: 0.33,
          suppressed: false,
          suppressedCells: [],
        },
      ],
      totals: {
        activeCases: 30,
        plansAgreed: 23,
        medianDaysToAgreement: 11.5,
        escalationsLevel0: 12,
        escalationsLevel1: 0,
        escalationsLevel2: 0,
        goalsAchievedShare: 0.33,
        suppressed: false,
        suppressedCells: [],
      },
    });
  });

  it('withholds every figure of a small group, and the smallest other group count per column', () => {
    const groups = [
      group('Haven', { activeCases: 3, plansAgreed: 2, escalationsLevel0: 1 }),
      group('Centrum', { activeCases: 9, escalationsLevel0: 7 }),
      group('Stedenwijk', { activeCases: 25, plansAgreed: 20, escalationsLevel0: 12 }),
    ];
    const r = report(groups);
    const haven = r.rows.find((r) => r.group === 'Haven')!;
    expect(haven).toEqual({
      group: 'Haven',
      activeCases: null,
      plansAgreed: null,
      medianDaysToAgreement: null,
      escalationsLevel0: null,
      escalationsLevel1: null,
      escalationsLevel2: null,
      goalsAchievedShare: null,
      suppressed: true,
      suppressedCells: [...COUNT_FIELDS, 'medianDaysToAgreement', 'goalsAchievedShare'],
    });
    const centrum = r.rows.find((r) => r.group === 'Centrum')!;
    expect(centrum.activeCases).toBeNull();
    expect(centrum.suppressed).toBe(true);
    // Its plans agreed are withheld, so is the median over them.
    expect(centrum.plansAgreed).toBeNull();
    expect(centrum.medianDaysToAgreement).toBeNull();
    expect(centrum.suppressedCells).toContain('medianDaysToAgreement');
  });

  it('withholds a median over fewer than 5 plans and a share of fewer than 5 goals', () => {
    const groups = [
      group('Haven', { plansAgreed: 3, medianDaysToAgreement: 4, goalsAssessed: 3 }),
      group('Centrum'),
      group('Poort'),
    ];
    const r = report(groups);
    const haven = r.rows.find((r) => r.group === 'Haven')!;
    expect(haven.activeCases).toBe(10);
    expect(haven.plansAgreed).toBeNull();
    expect(haven.medianDaysToAgreement).toBeNull();
    expect(haven.goalsAchievedShare).toBeNull();
    expect(haven.suppressedCells).toEqual(
      expect.arrayContaining(['medianDaysToAgreement', 'goalsAchievedShare']),
    );
  });

  it('does not call a missing median of a published 0 agreed plans a suppression', () => {
    const groups = [
      group('Haven', { plansAgreed: 0, medianDaysToAgreement: null }),
      group('Centrum', { plansAgreed: 0, medianDaysToAgreement: null }),
    ];
    const r = report(groups, overallOf(groups, null));
    for (const row of [...r.rows, r.totals]) {
      expect(row.plansAgreed).toBe(0);
      expect(row.medianDaysToAgreement).toBeNull();
      expect(row.suppressedCells).toEqual([]);
    }
  });

  it('lists the unknown group last', () => {
    const groups = [group('onbekend'), group('Stedenwijk'), group('Centrum')];
    const r = report(groups);
    expect(r.rows.map((r) => r.group)).toEqual(['Centrum', 'Stedenwijk', 'onbekend']);
  });

  it('refuses totals that are not the sums of the groups', () => {
    const groups = [group('Haven'), group('Centrum')];
    expect(() => report(groups, { ...overallOf(groups), activeCases: 21 })).toThrow(
      /does not add up/,
    );
  });

  it('withholds a wijk that its stadsdeel minus the other wijken would give away', () => {
    // Almere Stad = Centrum + Stedenwijk + Muziekwijk. Stedenwijk (4 cases) is withheld per
    // wijk; per stadsdeel Almere Stad (24) is published: 24 - 9 - 11 = 4, unless another
    // number of the three is withheld too.
    const wijken = [
      group('Centrum', { activeCases: 9 }),
      group('Stedenwijk', { activeCases: 4, plansAgreed: 2 }),
      group('Muziekwijk', { activeCases: 11 }),
      group('Haven', { activeCases: 20 }),
      group('Poort', { activeCases: 15 }),
    ];
    const stadsdeelOf = (wijk: string) =>
      ({ Haven: 'Almere Haven', Poort: 'Almere Poort' })[wijk] ?? 'Almere Stad';
    const parts = partsOf(wijken, stadsdeelOf);
    const overall = overallOf(wijken);
    const perWijk = buildMonitorReport(PERIOD, inJanuary(parts, wijken, overall));
    const stadsdelen = ['Almere Stad', 'Almere Haven', 'Almere Poort'].map((name) => {
      const members = wijken.filter((w) => stadsdeelOf(w.group) === name);
      return { ...overallOf(members), group: name };
    });
    const perStadsdeel = buildMonitorReport(
      { ...PERIOD, groupBy: 'stadsdeel' },
      inJanuary(parts, stadsdelen, overall),
    );
    const activeCases = (r: typeof perWijk, name: string) =>
      r.rows.find((row) => row.group === name)!.activeCases;
    const stad = activeCases(perStadsdeel, 'Almere Stad');
    const others = [activeCases(perWijk, 'Centrum'), activeCases(perWijk, 'Muziekwijk')];
    expect(activeCases(perWijk, 'Stedenwijk')).toBeNull();
    expect(stad === null || others.includes(null)).toBe(true);
    expect(recoverLinked(parts.map(asPart), published(perWijk, perStadsdeel), 0)).toEqual([]);
  });

  it('never lets a withheld count be recovered, per wijk and per stadsdeel read together', () => {
    const figures = fc.record({
      activeCases: fc.integer({ min: 0, max: 14 }),
      plansAgreed: fc.integer({ min: 0, max: 12 }),
      escalationsLevel0: fc.integer({ min: 0, max: 9 }),
      escalationsLevel1: fc.integer({ min: 0, max: 5 }),
      escalationsLevel2: fc.integer({ min: 0, max: 3 }),
    });
    // Wijken in 1..3 stadsdelen; now and then a wijk whose teams name two stadsdelen.
    const part = fc.record({
      wijk: fc.constantFrom('A', 'B', 'C', 'D', 'E', 'F'),
      stadsdeel: fc.constantFrom('X', 'Y', 'Z'),
      figures,
    });
    fc.assert(
      fc.property(
        fc.uniqueArray(part, {
          minLength: 1,
          maxLength: 7,
          selector: (p) => `${p.wijk}/${p.stadsdeel}`,
        }),
        (list) => {
          const parts = list.map((p): PartCounts => ({
            wijk: p.wijk,
            stadsdeel: p.stadsdeel,
            ...p.figures,
          }));
          const overall = { ...overallOf([]), ...sums(parts) };
          const reportOf = (groupBy: GroupBy) => {
            const names = [...new Set(parts.map((p) => p[groupBy]))];
            const groups = names.map((name) => ({
              ...overallOf([]),
              ...sums(parts.filter((p) => p[groupBy] === name)),
              group: name,
            }));
            return buildMonitorReport({ ...PERIOD, groupBy }, inJanuary(parts, groups, overall));
          };
          const perWijk = reportOf('wijk');
          const perStadsdeel = reportOf('stadsdeel');
          for (const r of [perWijk, perStadsdeel]) {
            const counts = [...r.rows, r.totals].flatMap((row) =>
              COUNT_FIELDS.map((field) => row[field]),
            );
            expect(counts.filter((v) => v !== null && v >= 1 && v <= 4)).toEqual([]);
          }
          expect(recoverLinked(parts.map(asPart), published(perWijk, perStadsdeel), 0)).toEqual([]);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('the published policy monitor over a whole year', () => {
  const LABELS = [
    ...Array.from({ length: 12 }, (_, m) => `2026-${String(m + 1).padStart(2, '0')}`),
    '2026-Q1',
    '2026-Q2',
    '2026-Q3',
    '2026-Q4',
    '2026',
  ];
  type MonthPart = PartCounts & { month: number };

  /** The year as the query reads it: per month the parts, the groups asked for, everybody. */
  function yearOf(parts: MonthPart[], groupBy: GroupBy): MonitorYear {
    const months = [...new Set(parts.map((p) => p.month))].sort((a, b) => a - b);
    const counts = (of: PartCounts[]) => ({ ...overallOf([]), ...sums(of) });
    return {
      months: months.map((month) => {
        const own = parts.filter((p) => p.month === month);
        const names = [...new Set(own.map((p) => p[groupBy]))];
        return {
          month,
          parts: own,
          groups: names.map((group) => ({
            ...counts(own.filter((p) => p[groupBy] === group)),
            group,
          })),
          overall: counts(own),
        };
      }),
      medians: { groups: new Map(), overall: null },
    };
  }

  function answer(parts: MonthPart[], groupBy: GroupBy, label: string) {
    return buildMonitorReport({ groupBy, period: label, from: '', to: '' }, yearOf(parts, groupBy));
  }

  const months = (list: Array<[number, string, string, Partial<PartCounts>]>): MonthPart[] =>
    list.map(([month, wijk, stadsdeel, counts]) => ({
      month,
      wijk,
      stadsdeel,
      activeCases: 0,
      plansAgreed: 0,
      escalationsLevel0: 0,
      escalationsLevel1: 0,
      escalationsLevel2: 0,
      ...counts,
    }));

  it('does not let the year minus three quarters give the fourth away', () => {
    const parts = months([
      [2, 'Kruidenwijk', 'Buiten', { activeCases: 5 }],
      [5, 'Kruidenwijk', 'Buiten', { activeCases: 5 }],
      [8, 'Kruidenwijk', 'Buiten', { activeCases: 5 }],
      [11, 'Kruidenwijk', 'Buiten', { activeCases: 3 }],
      [11, 'Vaarten', 'Hout', { activeCases: 5 }],
    ]);
    const cases = (label: string) =>
      answer(parts, 'wijk', label).rows.find((r) => r.group === 'Kruidenwijk')!.activeCases;
    expect(cases('2026-Q4')).toBeNull();
    expect(['2026', '2026-Q1', '2026-Q2', '2026-Q3'].map(cases)).toContain(null);
  });

  it('answers each period from its months, and leaves out groups with nothing in it', () => {
    const parts = months([
      [1, 'Haven', 'Almere Haven', { activeCases: 12, plansAgreed: 6 }],
      [2, 'Haven', 'Almere Haven', { activeCases: 9, plansAgreed: 0 }],
      [2, 'Centrum', 'Almere Stad', { activeCases: 20, plansAgreed: 7 }],
    ]);
    const january = answer(parts, 'wijk', '2026-01');
    expect(january.rows.map((r) => [r.group, r.activeCases, r.plansAgreed])).toEqual([
      ['Haven', 12, 6],
    ]);
    const q1 = answer(parts, 'stadsdeel', '2026-Q1');
    expect(q1.rows.map((r) => [r.group, r.activeCases, r.plansAgreed])).toEqual([
      ['Almere Haven', 21, 6],
      ['Almere Stad', 20, 7],
    ]);
    expect(answer(parts, 'wijk', '2026-Q2')).toMatchObject({
      rows: [],
      totals: { activeCases: 0 },
    });
  });

  it('never lets a withheld count be recovered from every answer of the year', () => {
    const part = fc.record({
      month: fc.integer({ min: 1, max: 12 }),
      wijk: fc.constantFrom('A', 'B', 'C'),
      stadsdeel: fc.constantFrom('X', 'Y'),
      activeCases: fc.integer({ min: 0, max: 12 }),
      plansAgreed: fc.integer({ min: 0, max: 6 }),
      escalationsLevel0: fc.integer({ min: 0, max: 6 }),
      escalationsLevel1: fc.integer({ min: 0, max: 2 }),
      escalationsLevel2: fc.constant(0),
    });
    fc.assert(
      fc.property(
        fc.uniqueArray(part, {
          minLength: 1,
          maxLength: 5,
          selector: (p) => `${p.month}/${p.wijk}/${p.stadsdeel}`,
        }),
        (parts) => {
          const answers = LABELS.map((label) => {
            const [perWijk, perStadsdeel] = [
              answer(parts, 'wijk', label),
              answer(parts, 'stadsdeel', label),
            ];
            return published(perWijk, perStadsdeel);
          });
          const keys = [...new Set(parts.map((p) => `${p.wijk}/${p.stadsdeel}`))];
          const truth = keys.map((key) => {
            const [a, b] = key.split('/');
            return {
              a,
              b,
              months: Array.from({ length: 12 }, (_, m) => {
                const own = parts.find(
                  (p) => p.month === m + 1 && `${p.wijk}/${p.stadsdeel}` === key,
                );
                return own && COUNT_FIELDS.map((field) => own[field]);
              }),
            };
          });
          expect(recoverOverYear(truth, answers, 0)).toEqual([]);
        },
      ),
      { numRuns: 40 },
    );
  });
});

function sums(parts: PartCounts[]) {
  return Object.fromEntries(
    COUNT_FIELDS.map((field) => [field, parts.reduce((total, p) => total + p[field], 0)]),
  ) as Record<(typeof COUNT_FIELDS)[number], number>;
}

function asPart(part: PartCounts) {
  return {
    a: part.wijk,
    b: part.stadsdeel,
    counts: COUNT_FIELDS.map((field) => part[field]),
  };
}

function published(
  perWijk: ReturnType<typeof buildMonitorReport>,
  perStadsdeel: ReturnType<typeof buildMonitorReport>,
) {
  const figures = (r: typeof perWijk) =>
    new Map(r.rows.map((row) => [row.group, COUNT_FIELDS.map((field) => row[field])]));
  expect(perStadsdeel.totals).toEqual(perWijk.totals);
  return {
    a: figures(perWijk),
    b: figures(perStadsdeel),
    totals: COUNT_FIELDS.map((field) => perWijk.totals[field]),
  };
}
