import { describe, expect, it } from '@jest/globals';
import { ZERO_COUNTS } from './monitor-report.js';
import { medianOf, monitorYearOf, type CountRow } from './monitor-year.js';

describe('medianOf', () => {
  it('is the middle value, or halfway between the two middle ones (percentile_cont(0.5))', () => {
    expect(medianOf([])).toBeNull();
    expect(medianOf([[7, 0]])).toBeNull();
    expect(medianOf([[7, 1]])).toBe(7);
    // 1, 3, 3, 10: halfway between 3 and 3
    expect(
      medianOf([
        [10, 1],
        [3, 2],
        [1, 1],
      ]),
    ).toBe(3);
    // 0, 5, 6, 40: halfway between 5 and 6
    expect(
      medianOf([
        [40, 1],
        [0, 1],
        [6, 1],
        [5, 1],
      ]),
    ).toBe(5.5);
    // -2, 4, 4, 4, 9: a plan agreed before it was opened counts as it did in SQL
    expect(
      medianOf([
        [4, 3],
        [9, 1],
        [-2, 1],
      ]),
    ).toBe(4);
  });
});

describe('monitorYearOf', () => {
  const row = (month: number, wijk: string, stadsdeel: string, figure: string, count: number) =>
    ({ month, wijk, stadsdeel, figure, count }) satisfies CountRow;

  it('gives the parts of each month, their sums per group and overall, and the medians', () => {
    const year = monitorYearOf(
      'stadsdeel',
      [
        row(3, 'Haven', 'Almere Haven', 'plans', 2),
        row(3, 'Haven', 'Almere Haven', 'activeCases', 1),
        row(3, 'Haven', 'Almere Haven', 'goalsAssessed', 4),
        row(3, 'Centrum', 'Almere Stad', 'escalations:1', 2),
        row(3, 'Muziekwijk', 'Almere Stad', 'plansAgreed', 1),
        row(3, 'Muziekwijk', 'Almere Stad', 'plans', 1),
        // A level the monitor has no column for: the part is there, with nothing counted.
        row(1, 'Poort', 'Almere Poort', 'escalations:3', 1),
      ],
      [
        { wijk: 'Haven', stadsdeel: 'Almere Haven', days: 4, plans: 1 },
        { wijk: 'Muziekwijk', stadsdeel: 'Almere Stad', days: 10, plans: 2 },
        { wijk: 'Centrum', stadsdeel: 'Almere Stad', days: 2, plans: 1 },
      ],
    );
    const zero = ZERO_COUNTS;
    expect(year.months.map((m) => m.month)).toEqual([1, 3]);
    expect(year.months[0].parts).toEqual([{ wijk: 'Poort', stadsdeel: 'Almere Poort', ...zero }]);
    const march = year.months[1];
    expect(march.parts.map((p) => p.wijk)).toEqual(['Centrum', 'Haven', 'Muziekwijk']);
    expect(march.groups).toEqual([
      { group: 'Almere Stad', ...zero, escalationsLevel1: 2, plansAgreed: 1 },
      { group: 'Almere Haven', ...zero, activeCases: 1, goalsAssessed: 4 },
    ]);
    expect(march.overall).toEqual({
      ...zero,
      activeCases: 1,
      plansAgreed: 1,
      escalationsLevel1: 2,
      goalsAssessed: 4,
    });
    expect(Object.fromEntries(year.medians.groups)).toEqual({
      'Almere Haven': 4,
      'Almere Stad': 10,
    });
    expect(year.medians.overall).toBe(7);
  });
});
