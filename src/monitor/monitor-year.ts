import { FIGURE } from './monitor-contribution.js';
import {
  plus,
  ZERO_COUNTS,
  type GroupBy,
  type MonitorYear,
  type MonthFigures,
  type PartCounts,
} from './monitor-report.js';

/** A kept counter of a month, summed over the teams of one wijk in one stadsdeel. */
export interface CountRow {
  readonly month: number;
  readonly wijk: string;
  readonly stadsdeel: string;
  readonly figure: string;
  readonly count: number;
}

/** Plans of the period asked agreed after `days`, summed over the teams of one part. */
export interface AgreementDaysRow {
  readonly wijk: string;
  readonly stadsdeel: string;
  readonly days: number;
  readonly plans: number;
}

type Counts = { -readonly [F in keyof typeof ZERO_COUNTS]: number };

/** The field of the report each kept figure adds to (`plans` only makes a part exist). */
const FIELD_OF: ReadonlyMap<string, keyof Counts> = new Map([
  [FIGURE.activeCases, 'activeCases'],
  [FIGURE.plansAgreed, 'plansAgreed'],
  [FIGURE.goalsAchieved, 'goalsAchieved'],
  [FIGURE.goalsAssessed, 'goalsAssessed'],
  [FIGURE.escalations(0), 'escalationsLevel0'],
  [FIGURE.escalations(1), 'escalationsLevel1'],
  [FIGURE.escalations(2), 'escalationsLevel2'],
]);

/**
 * The median of a histogram (days, plans), as percentile_cont(0.5): the middle value, or
 * halfway between the two middle ones; null for no plans.
 */
export function medianOf(histogram: ReadonlyArray<readonly [number, number]>): number | null {
  const sorted = [...histogram].filter(([, n]) => n > 0).sort(([a], [b]) => a - b);
  const total = sorted.reduce((sum, [, n]) => sum + n, 0);
  if (total === 0) return null;
  const at = (index: number) => {
    let seen = 0;
    for (const [days, n] of sorted) {
      seen += n;
      if (index < seen) return days;
    }
    throw new RangeError(`No value ${index} of ${total}`);
  };
  const low = Math.floor((total - 1) / 2);
  return total % 2 === 1 ? at(low) : (at(low) + at(low + 1)) / 2;
}

/**
 * The year as buildMonitorReport takes it, from the kept counters: per month the parts (a
 * wijk within a stadsdeel) with a plan or an open escalation, the groups asked for and the
 * overall as the sums of the parts, and the medians over the period asked from its histogram.
 */
export function monitorYearOf(
  groupBy: GroupBy,
  counts: readonly CountRow[],
  agreementDays: readonly AgreementDaysRow[],
): MonitorYear {
  const parts = new Map<string, { month: number; wijk: string; stadsdeel: string } & Counts>();
  for (const row of counts) {
    const key = JSON.stringify([row.month, row.wijk, row.stadsdeel]);
    const part = parts.get(key) ?? {
      month: row.month,
      wijk: row.wijk,
      stadsdeel: row.stadsdeel,
      ...ZERO_COUNTS,
    };
    const field = FIELD_OF.get(row.figure);
    if (field) part[field] += row.count;
    parts.set(key, part);
  }
  const ordered = [...parts.values()].sort(
    (a, b) =>
      a.month - b.month ||
      Number(a.wijk > b.wijk) - Number(a.wijk < b.wijk) ||
      Number(a.stadsdeel > b.stadsdeel) - Number(a.stadsdeel < b.stadsdeel),
  );
  const months: MonthFigures[] = [...new Set(ordered.map((p) => p.month))].map((month) => {
    const own = ordered.filter((p) => p.month === month).map(({ month: _, ...part }) => part);
    const groups = new Map<string, Counts>();
    for (const part of own) {
      groups.set(part[groupBy], plus(groups.get(part[groupBy]) ?? ZERO_COUNTS, part));
    }
    return {
      month,
      parts: own satisfies PartCounts[],
      groups: [...groups].map(([group, sums]) => ({ group, ...sums })),
      overall: own.reduce(plus, ZERO_COUNTS),
    };
  });
  const histograms = new Map<string, Array<[number, number]>>();
  for (const row of agreementDays) {
    const group = row[groupBy];
    histograms.set(group, [...(histograms.get(group) ?? []), [row.days, row.plans]]);
  }
  return {
    months,
    medians: {
      groups: new Map([...histograms].map(([group, histogram]) => [group, medianOf(histogram)])),
      overall: medianOf(agreementDays.map((row) => [row.days, row.plans])),
    },
  };
}
