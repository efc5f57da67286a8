import type { DataSource } from 'typeorm';
import { toDateString } from '#libs/clock/calendar.js';
import type { MonitorPeriod } from '../../src/monitor/monitor-period.js';
import {
  UNKNOWN_GROUP,
  type GroupBy,
  type MonitorYear,
  type MonthFigures,
} from '../../src/monitor/monitor-report.js';

/*
 * The policy monitor as it was computed before it kept its own figures: at query time, from
 * the read models of the plans, families, teams and escalations. Kept verbatim as the oracle
 * of the kept figures (monitor-facts.projection.ts): on the same events both must give the same
 * year to buildMonitorReport.
 */

/**
 * GROUPING SETS ((month, wijk, stadsdeel), (month, wijk), (month, stadsdeel), (month)): a null
 * key is "all". Plans also per group over the period asked, for the median (which does not
 * add up over months): (in_period, wijk), (in_period, stadsdeel), (in_period).
 */
interface Keyed {
  /** 1..12; null in the rows over the period asked. */
  month: number | null;
  wijk: string | null;
  stadsdeel: string | null;
  /** GROUPING(wijk, stadsdeel): 0 a part, 1 per wijk, 2 per stadsdeel, 3 everybody. */
  level: number;
}

interface PlanFiguresRow extends Keyed {
  /** Rows over the period: whether these are the plans of the period asked. */
  in_period: boolean | null;
  active_cases: number;
  plans_agreed: number;
  median_days: number | null;
  goals_achieved: number;
  goals_assessed: number;
}

interface EscalationFiguresRow extends Keyed {
  level0: number;
  level1: number;
  level2: number;
}

/** GROUPING() levels of the rows of each kind. */
const PART = 0;
const LEVEL_OF: Record<GroupBy, number> = { wijk: 1, stadsdeel: 2 };
const EVERYBODY = 3;

const ZERO_ESCALATIONS = { level0: 0, level1: 0, level2: 0 };

function addDays(date: string, days: number): string {
  return toDateString(new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000));
}

/** The year buildMonitorReport was given for a period, as the old query read it. */
export async function oldMonitorYear(
  db: Pick<DataSource, 'query'>,
  query: { groupBy: GroupBy },
  { from, to }: MonitorPeriod,
): Promise<MonitorYear> {
  const year = Number(from.slice(0, 4));
  const bounds = [
    `${year}-01-01T00:00:00Z`,
    `${year + 1}-01-01T00:00:00Z`,
    `${from}T00:00:00Z`,
    `${addDays(to, 1)}T00:00:00Z`,
  ];
  // Both groupings are read, whichever was asked for: their parts (a wijk within a
  // stadsdeel) decide the suppression of both (see buildMonitorReport).
  const keys = `coalesce(t.wijk, '${UNKNOWN_GROUP}') AS wijk,
                coalesce(t.stadsdeel, '${UNKNOWN_GROUP}') AS stadsdeel`;
  const monthOf = (column: string) => `extract(month FROM ${column} AT TIME ZONE 'UTC')::int`;
  const byMonth = `(month, wijk, stadsdeel), (month, wijk), (month, stadsdeel), (month)`;
  const plans: PlanFiguresRow[] = await db.query(
    `WITH cohort AS (
       SELECT ${keys}, p.status,
              (p.document->>'openedAt')::timestamptz AS opened_at,
              (p.document->>'firstAgreedAt')::timestamptz AS agreed_at,
              (SELECT count(*) FROM jsonb_array_elements(p.document->'goals') g
                WHERE g->>'lifecycleStatus' = 'achieved') AS achieved,
              (SELECT count(*) FROM jsonb_array_elements(p.document->'goals') g
                WHERE g->>'lifecycleStatus' IN ('achieved', 'not_achieved', 'active')) AS assessed
         FROM plan_views p
         JOIN family_views f ON f.family_id = p.family_id
         LEFT JOIN team_views t ON t.team_id = f.team_id
        WHERE (p.document->>'openedAt')::timestamptz >= $1::timestamptz
          AND (p.document->>'openedAt')::timestamptz < $2::timestamptz),
     dated AS (
       SELECT *, ${monthOf('opened_at')} AS month,
              opened_at >= $3::timestamptz AND opened_at < $4::timestamptz AS in_period
         FROM cohort)
     SELECT month, in_period, wijk, stadsdeel, GROUPING(wijk, stadsdeel)::int AS level,
            (count(*) FILTER (WHERE status <> 'closed'))::int AS active_cases,
            count(agreed_at)::int AS plans_agreed,
            percentile_cont(0.5) WITHIN GROUP (
              ORDER BY (agreed_at AT TIME ZONE 'UTC')::date - (opened_at AT TIME ZONE 'UTC')::date
            ) FILTER (WHERE agreed_at IS NOT NULL) AS median_days,
            coalesce(sum(achieved), 0)::int AS goals_achieved,
            coalesce(sum(assessed), 0)::int AS goals_assessed
       FROM dated
      GROUP BY GROUPING SETS (${byMonth}, (in_period, wijk), (in_period, stadsdeel), (in_period))`,
    bounds,
  );
  const escalations: EscalationFiguresRow[] = await db.query(
    `WITH raised AS (
       SELECT ${keys}, e.level AS escalation_level, ${monthOf('e.raised_at')} AS month
         FROM escalation_views e
         LEFT JOIN team_views t ON t.team_id = e.team_id
        WHERE e.status = 'open'
          AND e.raised_at >= $1::timestamptz AND e.raised_at < $2::timestamptz)
     SELECT month, wijk, stadsdeel, GROUPING(wijk, stadsdeel)::int AS level,
            (count(*) FILTER (WHERE escalation_level = 0))::int AS level0,
            (count(*) FILTER (WHERE escalation_level = 1))::int AS level1,
            (count(*) FILTER (WHERE escalation_level = 2))::int AS level2
       FROM raised
      GROUP BY GROUPING SETS (${byMonth})`,
    bounds.slice(0, 2),
  );
  const perMonth = plans.filter((row) => row.month !== null);
  const overPeriod = plans.filter((row) => row.month === null && row.in_period === true);
  const keyOf = (row: Keyed) => JSON.stringify([row.month, row.level, row.wijk, row.stadsdeel]);
  const planOf = new Map(perMonth.map((row) => [keyOf(row), row]));
  const escalationsOf = new Map(escalations.map((row) => [keyOf(row), row]));
  const counts = (key: Keyed) => {
    const p = planOf.get(keyOf(key));
    const e = escalationsOf.get(keyOf(key)) ?? ZERO_ESCALATIONS;
    return {
      activeCases: p?.active_cases ?? 0,
      plansAgreed: p?.plans_agreed ?? 0,
      escalationsLevel0: e.level0,
      escalationsLevel1: e.level1,
      escalationsLevel2: e.level2,
      goalsAchieved: p?.goals_achieved ?? 0,
      goalsAssessed: p?.goals_assessed ?? 0,
    };
  };
  // Every key of a kind and month that has a plan or an open escalation (a group with
  // neither would only add a row of withheld zeros).
  const keysAt = (month: number, level: number) => [
    ...new Map(
      [...perMonth, ...escalations]
        .filter((row) => row.month === month && row.level === level)
        .map((row) => [keyOf(row), row]),
    ).values(),
  ];
  const months: MonthFigures[] = [...new Set([...perMonth, ...escalations].map((r) => r.month!))]
    .sort((a, b) => a - b)
    .map((month) => ({
      month,
      parts: keysAt(month, PART).map((key) => ({
        wijk: key.wijk!,
        stadsdeel: key.stadsdeel!,
        ...counts(key),
      })),
      groups: keysAt(month, LEVEL_OF[query.groupBy]).map((key) => ({
        group: key[query.groupBy]!,
        ...counts(key),
      })),
      overall: counts({ month, wijk: null, stadsdeel: null, level: EVERYBODY }),
    }));
  const median = (row: PlanFiguresRow | undefined) =>
    row?.median_days === null || row === undefined ? null : Number(row.median_days);
  const medians = {
    groups: new Map(
      overPeriod
        .filter((row) => row.level === LEVEL_OF[query.groupBy])
        .map((row) => [row[query.groupBy]!, median(row)]),
    ),
    overall: median(overPeriod.find((row) => row.level === EVERYBODY)),
  };
  return { months, medians };
}

/**
 * A year in one order, as compared: the parts of a month in the order monitor-year.ts gives
 * them (the old query gave them in PostgreSQL's), the groups by name, the medians without the
 * groups that had none (a group left out has none either).
 */
export function normalisedYear(year: MonitorYear) {
  const compare = (a: string, b: string) => Number(a > b) - Number(a < b);
  return {
    months: year.months.map((m) => ({
      month: m.month,
      parts: [...m.parts].sort(
        (a, b) => compare(a.wijk, b.wijk) || compare(a.stadsdeel, b.stadsdeel),
      ),
      groups: [...m.groups].sort((a, b) => compare(a.group, b.group)),
      overall: m.overall,
    })),
    medians: {
      groups: [...year.medians.groups].filter(([, median]) => median !== null).sort(),
      overall: year.medians.overall,
    },
  };
}

/** Every period of a year that the monitor answers: the year, its quarters and its months. */
export const periodsOf = (year: number) => [
  `${year}`,
  ...[1, 2, 3, 4].map((q) => `${year}-Q${q}`),
  ...Array.from({ length: 12 }, (_, m) => `${year}-${String(m + 1).padStart(2, '0')}`),
];
