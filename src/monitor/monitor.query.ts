import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../../libs/auth/auth-user.js';
import { toDateString } from '../../libs/clock/calendar.js';
import { CLOCK, type Clock } from '../../libs/clock/index.js';
import { forbidden } from '../../libs/http/problem-details.js';
import { monitorPeriod } from './monitor-period.js';
import {
  buildMonitorReport,
  UNKNOWN_GROUP,
  type GroupBy,
  type MonitorReport,
  type MonthFigures,
} from './monitor-report.js';

/** Who reads the monitor: aggregates only, for policy, administration and audit. */
export const MONITOR_READERS = ['policy_analyst', 'admin', 'auditor'] as const;

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

/**
 * The policy monitor (issue 6), computed at query time from the read models: plan_views,
 * family_views and escalation_views, grouped by the wijk or stadsdeel of the family's team in
 * team_views (`onbekend` for a team without a row there).
 *
 * Period [from, to] (dates, UTC, both inclusive), a calendar month, quarter or year (see
 * monitor-period.ts): plans opened in it, escalations raised in it. Per group: active cases
 * (plans of the period not closed), plans agreed, the median of the days from opening to
 * first agreement (agreed plans), the open escalations per level, and the share of assessed
 * goals (achieved, not achieved, active) that were achieved. The counts are read per month
 * for the whole calendar year of the period and summed into the period by buildMonitorReport:
 * the suppression is decided for the year as a whole.
 *
 * No access-log record: the answer holds no personal data, no family, no person, no team of a
 * family, only counts of at least 5 and figures over at least 5.
 */
@Injectable()
export class MonitorQuery {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async report(
    user: AuthUser,
    query: { groupBy: GroupBy; period?: string; from?: string; to?: string },
  ): Promise<MonitorReport> {
    if (!user.roles.some((role) => (MONITOR_READERS as readonly string[]).includes(role))) {
      throw forbidden('The policy monitor is for policy analysts, administrators and auditors');
    }
    const { period, from, to } = monitorPeriod(query, this.clock.now());
    // The whole calendar year is read, per month, whatever period is asked: its suppression
    // is one for the year, and the answer the slice of it for the period (year-suppression.ts).
    // [from 00:00 UTC, the day after `to` 00:00 UTC), within [1 January, 1 January).
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
    const plans: PlanFiguresRow[] = await this.dataSource.query(
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
    const escalations: EscalationFiguresRow[] = await this.dataSource.query(
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
    return buildMonitorReport({ groupBy: query.groupBy, period, from, to }, { months, medians });
  }
}
