import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CONCERN_CATEGORIES, type ConcernCategory } from '../concerns/concern.model.js';
import {
  buildConcernReport,
  CONCERN_OUTCOMES,
  type ConcernGroupCounts,
  type ConcernMonitorReport,
  type ConcernOutcome,
} from './concern-figures.js';
import { UNKNOWN_GROUP } from './monitor-report.js';

/** Every concern counted by its team's wijk (`onbekend` for a team never created). */
export const MONITOR_CONCERNS_SQL = `SELECT coalesce(t.wijk, '${UNKNOWN_GROUP}') AS wijk,
         c.category, c.outcome, count(*)::int AS count
    FROM monitor_concerns c LEFT JOIN monitor_teams t ON t.team_id = c.team_id
   GROUP BY 1, c.category, c.outcome`;

const zeros = <K extends string>(keys: readonly K[]) =>
  Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;

/**
 * The concerns of the policy monitor (concerns.md "Privacy"): per wijk, by category and by
 * outcome, as they stand now, over every concern received (they are few per wijk, so a period
 * would mostly withhold; and one answer for all time leaves no two overlapping windows to
 * subtract). Every wijk of a team is a row, also one without concerns: that a row is there
 * says nothing. No access-log record: counts only, never a person or a family.
 */
@Injectable()
export class MonitorConcernsQuery {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async report(): Promise<ConcernMonitorReport> {
    const wijken: Array<{ wijk: string }> = await this.dataSource.query(
      'SELECT DISTINCT wijk FROM monitor_teams',
    );
    const counts: Array<{ wijk: string; category: string; outcome: string; count: number }> =
      await this.dataSource.query(MONITOR_CONCERNS_SQL);
    const groups = new Map<string, ConcernGroupCounts>();
    const groupOf = (wijk: string) => {
      let group = groups.get(wijk);
      if (!group) {
        group = {
          group: wijk,
          categories: zeros(CONCERN_CATEGORIES),
          outcomes: zeros(CONCERN_OUTCOMES),
        };
        groups.set(wijk, group);
      }
      return group as { categories: Record<string, number>; outcomes: Record<string, number> };
    };
    for (const { wijk } of wijken) groupOf(wijk);
    for (const row of counts) {
      // A category or outcome this code does not know would not add up: a poison row, named.
      if (!(CONCERN_CATEGORIES as readonly string[]).includes(row.category)) {
        throw new Error(`monitor_concerns holds an unknown category ${row.category}`);
      }
      if (!(CONCERN_OUTCOMES as readonly string[]).includes(row.outcome)) {
        throw new Error(`monitor_concerns holds an unknown outcome ${row.outcome}`);
      }
      const group = groupOf(row.wijk);
      group.categories[row.category as ConcernCategory] += row.count;
      group.outcomes[row.outcome as ConcernOutcome] += row.count;
    }
    const ordered = [...groups.values()].sort(
      (a, b) =>
        Number(a.group === UNKNOWN_GROUP) - Number(b.group === UNKNOWN_GROUP) ||
        a.group.localeCompare(b.group, 'nl'),
    );
    return buildConcernReport(ordered);
  }
}
