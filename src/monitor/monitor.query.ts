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
  type GroupFigures,
  type MonitorReport,
  type OverallFigures,
  type PartCounts,
} from './monitor-report.js';

/** Who reads the monitor: aggregates only, for policy, administration and audit. */
export const MONITOR_READERS = ['policy_analyst', 'admin', 'auditor'] as const;

/** GROUPING SETS ((wijk, stadsdeel), (wijk), (stadsdeel), ()): a null key is "all". */
interface Keyed {
  wijk: string | null;
  stadsdeel: string | null;
  /** GROUPING(wijk, stadsdeel): 0 a part, 1 per wijk, 2 per stadsdeel, 3 everybody. */
  level: number;
}

interface PlanFiguresRow extends Keyed {
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
 * monitor-period.ts): plans opened in it, escalations raised in it. Per group: active cases (plans of the period not closed), plans agreed, the median of the
 * days from opening to first agreement (agreed plans), the open escalations per level, and the
 * share of assessed goals (achieved, not achieved, active) that were achieved.
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
    // [from 00:00 UTC, the day after `to` 00:00 UTC)
    const bounds = [`${from}T00:00:00Z`, `${addDays(to, 1)}T00:00:00Z`];
    // Both groupings are read, whichever was asked for: their parts (a wijk within a
    // stadsdeel) decide the suppression of both (see buildMonitorReport).
    const keys = `coalesce(t.wijk, '${UNKNOWN_GROUP}') AS wijk,
                  coalesce(t.stadsdeel, '${UNKNOWN_GROUP}') AS stadsdeel`;
    const sets = `GROUPING SETS ((wijk, stadsdeel), (wijk), (stadsdeel), ())`;
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
            AND (p.document->>'openedAt')::timestamptz < $2::timestamptz)
       SELECT wijk, stadsdeel, GROUPING(wijk, stadsdeel)::int AS level,
              (count(*) FILTER (WHERE status <> 'closed'))::int AS active_cases,
              count(agreed_at)::int AS plans_agreed,
              percentile_cont(0.5) WITHIN GROUP (
                ORDER BY (agreed_at AT TIME ZONE 'UTC')::date - (opened_at AT TIME ZONE 'UTC')::date
              ) FILTER (WHERE agreed_at IS NOT NULL) AS median_days,
              coalesce(sum(achieved), 0)::int AS goals_achieved,
              coalesce(sum(assessed), 0)::int AS goals_assessed
         FROM cohort
        GROUP BY ${sets}`,
      bounds,
    );
    const escalations: EscalationFiguresRow[] = await this.dataSource.query(
      `WITH raised AS (
         SELECT ${keys}, e.level AS escalation_level
           FROM escalation_views e
           LEFT JOIN team_views t ON t.team_id = e.team_id
          WHERE e.status = 'open'
            AND e.raised_at >= $1::timestamptz AND e.raised_at < $2::timestamptz)
       SELECT wijk, stadsdeel, GROUPING(wijk, stadsdeel)::int AS level,
              (count(*) FILTER (WHERE escalation_level = 0))::int AS level0,
              (count(*) FILTER (WHERE escalation_level = 1))::int AS level1,
              (count(*) FILTER (WHERE escalation_level = 2))::int AS level2
         FROM raised
        GROUP BY ${sets}`,
      bounds,
    );
    const keyOf = (row: Keyed) => JSON.stringify([row.level, row.wijk, row.stadsdeel]);
    const planOf = new Map(plans.map((row) => [keyOf(row), row]));
    const escalationsOf = new Map(escalations.map((row) => [keyOf(row), row]));
    const figures = (key: Keyed): OverallFigures => {
      const p = planOf.get(keyOf(key));
      const e = escalationsOf.get(keyOf(key)) ?? ZERO_ESCALATIONS;
      return {
        activeCases: p?.active_cases ?? 0,
        plansAgreed: p?.plans_agreed ?? 0,
        medianDaysToAgreement:
          p?.median_days === null || p === undefined ? null : Number(p.median_days),
        escalationsLevel0: e.level0,
        escalationsLevel1: e.level1,
        escalationsLevel2: e.level2,
        goalsAchieved: p?.goals_achieved ?? 0,
        goalsAssessed: p?.goals_assessed ?? 0,
      };
    };
    // Every key of a kind that has a plan or an open escalation in the period (a group with
    // neither would only add a row of withheld zeros).
    const keysAt = (level: number) =>
      [...plans, ...escalations]
        .filter((row) => row.level === level)
        .filter((row, i, all) => all.findIndex((other) => keyOf(other) === keyOf(row)) === i);
    const parts: PartCounts[] = keysAt(PART).map((key) => ({
      wijk: key.wijk!,
      stadsdeel: key.stadsdeel!,
      ...figures(key),
    }));
    const groups: GroupFigures[] = keysAt(LEVEL_OF[query.groupBy]).map((key) => ({
      group: key[query.groupBy]!,
      ...figures(key),
    }));
    const overall = figures({ wijk: null, stadsdeel: null, level: EVERYBODY });
    return buildMonitorReport({ groupBy: query.groupBy, period, from, to }, parts, groups, overall);
  }
}
