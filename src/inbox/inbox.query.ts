import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AccessLog } from '#libs/access-log/access-log.js';
import type { AccessPoint } from '#libs/access-log/access-point.decorator.js';
import type { AuthUser } from '#libs/auth/auth-user.js';
import { toDateString } from '#libs/clock/calendar.js';
import { CLOCK, type Clock } from '#libs/clock/index.js';
import { EscalationViewQuery } from '../escalations/escalation-view.query.js';
import { byRoleOrder, type InboxRole } from './inbox-cases.fold.js';

interface CaseRow {
  family_id: string;
  roles: InboxRole[];
  open_signals: number;
  overdue_actions: number;
}

/**
 * The caller's cases from the inbox's own rows (inbox-cases.projection.ts): one index range of
 * their roles, with each case's open escalations and the open actions of its plan (if not
 * closed) whose due date is before today by the clock ($2), judged now, at read time.
 */
export const INBOX_CASES_SQL = `SELECT c.family_id, array_agg(r.role) AS roles,
       (SELECT count(*)::int FROM inbox_escalations e
         WHERE e.family_id = c.family_id AND e.open) AS open_signals,
       CASE WHEN c.plan_open
            THEN (SELECT count(*)::int FROM inbox_open_actions a
                   WHERE a.family_id = c.family_id AND a.due_date < $2)
            ELSE 0 END AS overdue_actions
  FROM inbox_case_roles r JOIN inbox_cases c ON c.family_id = r.family_id
 WHERE r.professional_id = $1 AND c.registered_at IS NOT NULL
 GROUP BY c.family_id
 ORDER BY c.registered_at, c.family_id`;

/** The linked concerns of the listed cases, from the inbox's own rows (inbox-concerns.projection.ts). */
const CASE_CONCERNS_SQL = `SELECT concern_id, family_id, category, linked_at FROM inbox_concerns
  WHERE family_id = ANY($1::uuid[]) ORDER BY linked_at, concern_id`;

interface ConcernRow {
  concern_id: string;
  family_id: string;
  category: string;
  linked_at: Date;
}

/** A regisseur's or professional's desk: their cases and the escalations waiting on them. */
@Injectable()
export class InboxQuery {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(EscalationViewQuery) private readonly escalations: EscalationViewQuery,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(AccessLog) private readonly accessLog: AccessLog,
  ) {}

  async forUser(viewer: AuthUser, accessPoint: AccessPoint) {
    const today = toDateString(this.clock.now());
    const rows: CaseRow[] = await this.dataSource.query(INBOX_CASES_SQL, [viewer.sub, today]);
    // The desk lists cases and their counts: a search over the caller's families.
    await this.accessLog.record({
      action: 'search',
      resource: 'inbox',
      familyId: null,
      memberIds: [],
      user: viewer,
      accessPoint,
      purpose: 'care coordination',
      rule: 'own cases',
    });
    const concerns = await this.concernsOf(rows.map((row) => row.family_id));
    return {
      cases: rows.map((row) => ({
        familyId: row.family_id,
        roles: [...row.roles].sort(byRoleOrder),
        openSignals: row.open_signals,
        overdueActions: row.overdue_actions,
        concerns: concerns.get(row.family_id) ?? [],
      })),
      escalations: await this.escalations.waitingOn(viewer),
      concernAlerts: await this.concernAlerts(viewer),
    };
  }

  /** For a team lead: concerns of their teams that wait on their decision (concerns.md). */
  private async concernAlerts(viewer: AuthUser) {
    if (!viewer.roles.includes('team_lead') || viewer.teams.length === 0) return [];
    const rows: Array<{
      concern_id: string;
      team_id: string;
      category: string;
      alert: string;
      alert_since: Date;
    }> = await this.dataSource.query(
      `SELECT concern_id, team_id, category, alert, alert_since FROM inbox_concerns
        WHERE alert IS NOT NULL AND team_id = ANY($1::uuid[]) ORDER BY alert_since, concern_id`,
      [viewer.teams],
    );
    return rows.map((row) => ({
      concernId: row.concern_id,
      teamId: row.team_id,
      category: row.category,
      alert: row.alert,
      since: new Date(row.alert_since).toISOString(),
    }));
  }

  /**
   * Category and date only, as a case-team professional may see of a concern (concerns.md
   * "Privacy"); the casusregisseur opens it by its id, logged there.
   */
  private async concernsOf(familyIds: string[]) {
    const byFamily = new Map<
      string,
      Array<{ concernId: string; category: string; linkedAt: string }>
    >();
    if (familyIds.length === 0) return byFamily;
    const rows: ConcernRow[] = await this.dataSource.query(CASE_CONCERNS_SQL, [familyIds]);
    for (const row of rows) {
      const list = byFamily.get(row.family_id) ?? [];
      list.push({
        concernId: row.concern_id,
        category: row.category,
        linkedAt: new Date(row.linked_at).toISOString(),
      });
      byFamily.set(row.family_id, list);
    }
    return byFamily;
  }
}
