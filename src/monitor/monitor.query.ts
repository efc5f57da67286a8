import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AuthUser } from '#libs/auth/auth-user.js';
import { CLOCK, type Clock } from '#libs/clock/index.js';
import { forbidden } from '#libs/http/problem-details.js';
import { monitorPeriod } from './monitor-period.js';
import {
  buildMonitorReport,
  UNKNOWN_GROUP,
  type GroupBy,
  type MonitorReport,
} from './monitor-report.js';
import { monitorYearOf, type AgreementDaysRow, type CountRow } from './monitor-year.js';

/** Who reads the monitor: aggregates only, for policy, administration and audit. */
export const MONITOR_READERS = ['policy_analyst', 'admin', 'auditor'] as const;

/** The kept counters of a year, per month and part (teams resolved to their wijk and stadsdeel). */
export const MONITOR_COUNTS_SQL = `SELECT c.month, coalesce(t.wijk, '${UNKNOWN_GROUP}') AS wijk,
         coalesce(t.stadsdeel, '${UNKNOWN_GROUP}') AS stadsdeel, c.figure, sum(c.count)::int AS count
    FROM monitor_counts c LEFT JOIN monitor_teams t ON t.team_id = c.team_id
   WHERE c.year = $1
   GROUP BY c.month, 2, 3, c.figure`;

/** The days to agreement of the plans opened in months $2..$3 of year $1, per part. */
export const MONITOR_AGREEMENT_DAYS_SQL = `SELECT coalesce(t.wijk, '${UNKNOWN_GROUP}') AS wijk,
         coalesce(t.stadsdeel, '${UNKNOWN_GROUP}') AS stadsdeel, d.days, sum(d.plans)::int AS plans
    FROM monitor_agreement_days d LEFT JOIN monitor_teams t ON t.team_id = d.team_id
   WHERE d.year = $1 AND d.month BETWEEN $2 AND $3
   GROUP BY 1, 2, d.days`;

/**
 * The policy monitor (issue 6), read from the figures the monitor projection keeps
 * (monitor-facts.projection.ts): two index ranges of one year's counters, whose size grows
 * with the teams and months, not with the families. Grouped by the wijk or stadsdeel of the
 * family's team (of the escalation's team for escalations), `onbekend` for a team that was
 * never created.
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
    // Both groupings' parts (a wijk within a stadsdeel) are read, whichever was asked for:
    // they decide the suppression of both (see buildMonitorReport).
    const year = Number(from.slice(0, 4));
    const months = [Number(from.slice(5, 7)), Number(to.slice(5, 7))];
    const counts: CountRow[] = await this.dataSource.query(MONITOR_COUNTS_SQL, [year]);
    const days: AgreementDaysRow[] = await this.dataSource.query(MONITOR_AGREEMENT_DAYS_SQL, [
      year,
      ...months,
    ]);
    return buildMonitorReport(
      { groupBy: query.groupBy, period, from, to },
      monitorYearOf(query.groupBy, counts, days),
    );
  }
}
