import { MIN_PUBLISHED_COUNT, suppressLinked } from './suppression.js';

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
 * The policy monitor as published: the groups' counts with small-cell suppression (see
 * suppression.ts), the column totals (themselves suppressed when small or when they would give
 * a hidden count away), and the median and share only where their base is large enough.
 * Suppression is decided for the wijk and the stadsdeel grouping together, from `parts`, so
 * that the two reports of one period, read side by side, do not give a withheld count away.
 * Pure: the same figures give the same report.
 */
export function buildMonitorReport(
  period: { groupBy: GroupBy; period: string; from: string; to: string },
  parts: readonly PartCounts[],
  groups: readonly GroupFigures[],
  overall: OverallFigures,
): MonitorReport {
  const ordered = [...groups].sort(
    (a, b) =>
      Number(a.group === UNKNOWN_GROUP) - Number(b.group === UNKNOWN_GROUP) ||
      a.group.localeCompare(b.group, 'nl'),
  );
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
  const keys = new Set(parts.map((part) => part[period.groupBy]));
  if (keys.size !== ordered.length || ordered.some((g) => !keys.has(g.group))) {
    throw new Error('The groups are not the groups of the parts');
  }
  for (const field of COUNT_FIELDS) {
    mustAddUp('Overall', overall[field], parts, field);
    for (const g of ordered) {
      mustAddUp(
        g.group,
        g[field],
        parts.filter((part) => part[period.groupBy] === g.group),
        field,
      );
    }
  }
  const suppression = suppressLinked({
    parts: parts.map((part) => ({
      a: part.wijk,
      b: part.stadsdeel,
      counts: COUNT_FIELDS.map((field) => part[field]),
    })),
    measures: COUNT_FIELDS.length,
    groupSize: COUNT_FIELDS.indexOf('activeCases'),
  });
  const [hiddenOf, small] =
    period.groupBy === 'wijk'
      ? [suppression.a, suppression.smallA]
      : [suppression.b, suppression.smallB];
  return {
    groupBy: period.groupBy,
    period: period.period,
    from: period.from,
    to: period.to,
    minimumCount: MIN_PUBLISHED_COUNT,
    rows: ordered.map((g) => ({
      group: g.group,
      ...published(g, hiddenOf.get(g.group)!, small.has(g.group)),
    })),
    totals: published(overall, suppression.totals, false),
  };
}
