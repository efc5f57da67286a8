import { expect } from '@jest/globals';
import type { DataSource } from 'typeorm';
import type { AuthUser } from '#libs/auth/auth-user.js';
import type { Clock } from '#libs/clock/index.js';
import { parsePeriod } from '../../src/monitor/monitor-period.js';
import {
  buildMonitorReport,
  GROUP_BY,
  type MonitorYear,
} from '../../src/monitor/monitor-report.js';
import { monitorYearOf } from '../../src/monitor/monitor-year.js';
import {
  MONITOR_AGREEMENT_DAYS_SQL,
  MONITOR_COUNTS_SQL,
  MonitorQuery,
} from '../../src/monitor/monitor.query.js';
import { normalisedYear, oldMonitorYear, periodsOf } from './old-monitor-query.js';

const ANALYST: AuthUser = {
  sub: 'analyst-1',
  name: 'Beleid',
  organisation: 'Gemeente Almere',
  roles: ['policy_analyst'],
  teams: [],
};

/** The years with a plan opened or an escalation raised, and the one before them. */
async function yearsWithData(db: DataSource): Promise<number[]> {
  const rows: Array<{ year: number }> = await db.query(
    `SELECT DISTINCT extract(year FROM (document->>'openedAt')::timestamptz AT TIME ZONE 'UTC')::int AS year
       FROM plan_views
     UNION SELECT extract(year FROM raised_at AT TIME ZONE 'UTC')::int FROM escalation_views`,
  );
  const known = rows.map((r) => r.year).sort();
  return [known[0] - 1, ...known];
}

/** The year as the kept counters give it for a period (what MonitorQuery builds its report of). */
async function keptYear(kept: DataSource, groupBy: (typeof GROUP_BY)[number], label: string) {
  const { from, to } = parsePeriod(label)!;
  const year = Number(from.slice(0, 4));
  const counts = await kept.query(MONITOR_COUNTS_SQL, [year]);
  const days = await kept.query(MONITOR_AGREEMENT_DAYS_SQL, [
    year,
    Number(from.slice(5, 7)),
    Number(to.slice(5, 7)),
  ]);
  return monitorYearOf(groupBy, counts, days);
}

/**
 * Every answer of the monitor for every period of every year with data, both groupings, read
 * through `kept` (MonitorQuery on the monitor's own tables), against the old query over the
 * other capabilities' read models on `old`: the same year of figures, and the same report. The
 * old year is taken as it came, parts in PostgreSQL's order, so the report is the old answer
 * itself. Returns the kept years, for what a caller wants to see in them.
 */
export async function expectTheOldMonitor(
  old: DataSource,
  kept: DataSource,
  clock: Clock,
): Promise<MonitorYear[]> {
  const monitor = new MonitorQuery(kept, clock);
  const seen: MonitorYear[] = [];
  for (const year of await yearsWithData(old)) {
    for (const label of periodsOf(year)) {
      for (const groupBy of GROUP_BY) {
        const period = parsePeriod(label)!;
        const before = await oldMonitorYear(old, { groupBy }, period);
        const now = await keptYear(kept, groupBy, label);
        expect({ label, groupBy, year: normalisedYear(now) }).toEqual({
          label,
          groupBy,
          year: normalisedYear(before),
        });
        const report = await monitor.report(ANALYST, { groupBy, period: label });
        expect({ label, groupBy, report }).toEqual({
          label,
          groupBy,
          report: buildMonitorReport({ groupBy, ...period }, before),
        });
        seen.push(now);
      }
    }
  }
  return seen;
}
