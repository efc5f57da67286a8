import { MIN_PUBLISHED_COUNT } from './suppression.js';
import {
  MONTHS,
  monthsOf,
  quarterPeriod,
  suppressOverYear,
  YEAR_PERIOD,
  type YearGroupings,
  type YearSuppression,
} from './year-suppression.js';

export const GROUP_BY = ['wijk', 'stadsdeel'] as const;
export type GroupBy = (typeof GROUP_BY)[number];

/** The group of families whose team is unknown (no team_views row). */
export const UNKNOWN_GROUP = 'onbekend';

/** The counts of the monitor, in table order; activeCases is the group's own case count. */
export const COUNT_FIELDS = [
  'activeCases',
  'plansAgreed',
  'escalationsLevel0',
  'escalationsLevel1',
  'escalationsLevel2',
] as const;
export type CountField = (typeof COUNT_FIELDS)[number];

/** Figures that are not counts: withheld with their group, or when based on fewer than 5. */
export const RATIO_FIELDS = ['medianDaysToAgreement', 'goalsAchievedShare'] as const;
export type RatioField = (typeof RATIO_FIELDS)[number];

/** One group's true figures, before suppression. Never leaves the server. */
export interface GroupFigures {
  readonly group: string;
  readonly activeCases: number;
  readonly plansAgreed: number;
  /** Over the agreed plans; null without any. */
  readonly medianDaysToAgreement: number | null;
  readonly escalationsLevel0: number;
  readonly escalationsLevel1: number;
  readonly escalationsLevel2: number;
  readonly goalsAchieved: number;
  /** Goals achieved, not achieved or active: the base of goalsAchievedShare. */
  readonly goalsAssessed: number;
}

/** The figures of all groups together: the median and share over everybody, not summed. */
export type OverallFigures = Omit<GroupFigures, 'group'>;

/** A group's counts in one month: they add up over months (plans opened, escalations raised). */
export type GroupCounts = Omit<GroupFigures, 'medianDaysToAgreement'>;

/** Everything of one month of the year that has anything (the other months have nothing). */
export interface MonthFigures {
  /** 1..12 */
  readonly month: number;
  readonly parts: readonly PartCounts[];
  /** The groups of the grouping asked for, as read; they must be the sums of the parts. */
  readonly groups: readonly GroupCounts[];
  readonly overall: Omit<GroupCounts, 'group'>;
}

/**
 * The figures of the whole calendar year of the period asked, per month: the suppression is
 * one for the year (see year-suppression.ts), the answer its slice for the period. Medians do
 * not add up over months: those of the period asked come as they are.
 */
export interface MonitorYear {
  readonly months: readonly MonthFigures[];
  readonly medians: {
    /** Per group of the grouping asked for; null without an agreed plan. */
    readonly groups: ReadonlyMap<string, number | null>;
    readonly overall: number | null;
  };
}

/**
 * The counts of the families of one wijk in one stadsdeel (teams name both): the finest parts
 * of both groupings. Never published: they tie the two groupings together, so that both are
 * protected at once (a stadsdeel minus its published wijken must not give a hidden wijk away).
 */
export type PartCounts = { readonly wijk: string; readonly stadsdeel: string } & Readonly<
  Record<CountField, number>
>;

export interface PublishedFigures {
  readonly activeCases: number | null;
  readonly plansAgreed: number | null;
  readonly medianDaysToAgreement: number | null;
  readonly escalationsLevel0: number | null;
  readonly escalationsLevel1: number | null;
  readonly escalationsLevel2: number | null;
  readonly goalsAchievedShare: number | null;
  /** true when any figure of this row is withheld; which ones in suppressedCells. */
  readonly suppressed: boolean;
  readonly suppressedCells: string[];
}

export interface MonitorRow extends PublishedFigures {
  readonly group: string;
}

export interface MonitorReport {
  readonly groupBy: GroupBy;
  /** The fixed calendar period (`2026`, `2026-Q3`, `2026-11`) that from and to span. */
  readonly period: string;
  readonly from: string;
  readonly to: string;
  /** Counts below this are withheld. */
  readonly minimumCount: number;
  readonly rows: MonitorRow[];
  readonly totals: PublishedFigures;
}

const round = (value: number, decimals: number) => {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
};

function ratios(
  figures: OverallFigures,
  plansAgreedHidden: boolean,
  groupHidden: boolean,
): Record<RatioField, number | null> {
  // A median over fewer than 5 plans is (nearly) one family's figure; a share of fewer than 5
  // goals shows a handful of goals. Withheld too when the count it is based on is withheld.
  const median =
    groupHidden || plansAgreedHidden || figures.plansAgreed < MIN_PUBLISHED_COUNT
      ? null
      : figures.medianDaysToAgreement;
  const share =
    groupHidden || figures.goalsAssessed < MIN_PUBLISHED_COUNT
      ? null
      : round(figures.goalsAchieved / figures.goalsAssessed, 2);
  return {
    medianDaysToAgreement: median === null ? null : round(median, 1),
    goalsAchievedShare: share,
  };
}

function published(
  figures: OverallFigures,
  hiddenCounts: readonly boolean[],
  groupHidden: boolean,
): PublishedFigures {
  const counts = Object.fromEntries(
    COUNT_FIELDS.map((field, c) => [field, hiddenCounts[c] ? null : figures[field]]),
  ) as Record<CountField, number | null>;
  const plansAgreedHidden = hiddenCounts[COUNT_FIELDS.indexOf('plansAgreed')];
  const figuresOfRatios = ratios(figures, plansAgreedHidden, groupHidden);
  const suppressedCells = [
    ...COUNT_FIELDS.filter((_, c) => hiddenCounts[c]),
    ...RATIO_FIELDS.filter(
      (field) =>
        figuresOfRatios[field] === null &&
        // No median without an agreed plan: not a suppression when "0 agreed" is published.
        // A share is withheld below 5 goals, 0 included: which groups have goals at all is
        // not told either.
        !(field === 'medianDaysToAgreement' && figures.plansAgreed === 0 && !plansAgreedHidden),
    ),
  ];
  return {
    activeCases: counts.activeCases,
    plansAgreed: counts.plansAgreed,
    medianDaysToAgreement: figuresOfRatios.medianDaysToAgreement,
    escalationsLevel0: counts.escalationsLevel0,
    escalationsLevel1: counts.escalationsLevel1,
    escalationsLevel2: counts.escalationsLevel2,
    goalsAchievedShare: figuresOfRatios.goalsAchievedShare,
    suppressed: suppressedCells.length > 0,
    suppressedCells,
  };
}

/**
 * The last few years' suppressions by their figures: the same year is asked period after
 * period (a dashboard, a reader collecting answers), and while its figures stay the same one
 * suppression (deterministic) serves every answer.
 */
const recentYears = new Map<string, YearSuppression>();

function suppressedYear(input: YearGroupings): YearSuppression {
  const key = JSON.stringify(input);
  const known = recentYears.get(key);
  if (known) return known;
  const suppression = suppressOverYear(input);
  recentYears.set(key, suppression);
  if (recentYears.size > 8) recentYears.delete(recentYears.keys().next().value!);
  return suppression;
}

/** The index of a period label in year-suppression.ts: months 0..11, quarters 12..15, year 16. */
export function periodIndex(label: string): number {
  const quarter = /^\d{4}-Q([1-4])$/.exec(label);
  if (quarter) return quarterPeriod(Number(quarter[1]) - 1);
  const month = /^\d{4}-(\d{2})$/.exec(label);
  if (month) return Number(month[1]) - 1;
  if (/^\d{4}$/.test(label)) return YEAR_PERIOD;
  throw new RangeError(`Not a period: ${label}`);
}

/** A group's counts before anything is counted. */
export const ZERO_COUNTS: Omit<GroupCounts, 'group'> = {
  activeCases: 0,
  plansAgreed: 0,
  escalationsLevel0: 0,
  escalationsLevel1: 0,
  escalationsLevel2: 0,
  goalsAchieved: 0,
  goalsAssessed: 0,
};
const ADDITIVE = [...COUNT_FIELDS, 'goalsAchieved', 'goalsAssessed'] as const;

/** Two groups' (or months') counts added up. */
export function plus(a: Omit<GroupCounts, 'group'>, b: Omit<GroupCounts, 'group'>) {
  return Object.fromEntries(ADDITIVE.map((f) => [f, a[f] + b[f]])) as Omit<GroupCounts, 'group'>;
}

/**
 * The policy monitor as published: the groups' counts with small-cell suppression, the column
 * totals (themselves suppressed when small or when they would give a hidden count away), and
 * the median and share only where their base is large enough. Suppression is decided once for
 * the whole calendar year (year-suppression.ts): every month, quarter and the year, per wijk
 * and per stadsdeel together, from the parts, so that no collection of answers of that year,
 * read side by side, gives a withheld count away. Pure: the same figures give the same report,
 * and the same year the same suppression whichever of its periods is asked.
 */
export function buildMonitorReport(
  period: { groupBy: GroupBy; period: string; from: string; to: string },
  year: MonitorYear,
): MonitorReport {
  // Every case belongs to exactly one part: a mismatch is a bug, and publishing figures that
  // are not the sums of the parts would defeat the suppression's reasoning.
  const mustAddUp = (
    what: string,
    actual: number,
    parts: readonly PartCounts[],
    field: CountField,
  ) => {
    const summed = parts.reduce((total, part) => total + part[field], 0);
    if (summed !== actual)
      throw new Error(`${what} ${field} does not add up: ${summed} <> ${actual}`);
  };
  for (const { month, parts, groups, overall } of year.months) {
    if (!Number.isInteger(month) || month < 1 || month > MONTHS) {
      throw new RangeError(`Not a month: ${month}`);
    }
    const keys = new Set(parts.map((part) => part[period.groupBy]));
    if (keys.size !== groups.length || groups.some((g) => !keys.has(g.group))) {
      throw new Error('The groups are not the groups of the parts');
    }
    for (const field of COUNT_FIELDS) {
      mustAddUp('Overall', overall[field], parts, field);
      for (const g of groups) {
        mustAddUp(
          g.group,
          g[field],
          parts.filter((part) => part[period.groupBy] === g.group),
          field,
        );
      }
    }
  }
  const partKeys = [
    ...new Set(
      year.months.flatMap((m) => m.parts.map((p) => JSON.stringify([p.wijk, p.stadsdeel]))),
    ),
  ];
  const suppression = suppressedYear({
    parts: partKeys.map((key) => {
      const [wijk, stadsdeel] = JSON.parse(key) as [string, string];
      return {
        a: wijk,
        b: stadsdeel,
        months: Array.from({ length: MONTHS }, (_, m) => {
          const part = year.months
            .find((figures) => figures.month === m + 1)
            ?.parts.find((p) => p.wijk === wijk && p.stadsdeel === stadsdeel);
          return part && COUNT_FIELDS.map((field) => part[field]);
        }),
      };
    }),
    measures: COUNT_FIELDS.length,
    groupSize: COUNT_FIELDS.indexOf('activeCases'),
  });
  const t = periodIndex(period.period);
  const inPeriod = year.months.filter((m) => monthsOf(t).includes(m.month - 1));
  const summed = new Map<string, Omit<GroupCounts, 'group'>>();
  let overallCounts = ZERO_COUNTS;
  for (const month of inPeriod) {
    for (const g of month.groups) summed.set(g.group, plus(summed.get(g.group) ?? ZERO_COUNTS, g));
    overallCounts = plus(overallCounts, month.overall);
  }
  const slice = suppression.periods[t];
  const [hiddenOf, small] =
    period.groupBy === 'wijk' ? [slice.a, slice.smallA] : [slice.b, slice.smallB];
  if (hiddenOf.size !== summed.size || [...summed.keys()].some((g) => !hiddenOf.has(g))) {
    throw new Error('The groups of the period are not the groups of the suppression');
  }
  const ordered = [...summed.keys()].sort(
    (a, b) => Number(a === UNKNOWN_GROUP) - Number(b === UNKNOWN_GROUP) || a.localeCompare(b, 'nl'),
  );
  const withMedian = (counts: Omit<GroupCounts, 'group'>, median: number | null | undefined) => ({
    ...counts,
    medianDaysToAgreement: median ?? null,
  });
  return {
    groupBy: period.groupBy,
    period: period.period,
    from: period.from,
    to: period.to,
    minimumCount: MIN_PUBLISHED_COUNT,
    rows: ordered.map((group) => ({
      group,
      ...published(
        withMedian(summed.get(group)!, year.medians.groups.get(group)),
        hiddenOf.get(group)!,
        small.has(group),
      ),
    })),
    totals: published(withMedian(overallCounts, year.medians.overall), slice.totals, false),
  };
}
