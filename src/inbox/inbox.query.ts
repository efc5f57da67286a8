import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AccessLog } from '../../libs/access-log/access-log.js';
import type { AccessPoint } from '../../libs/access-log/access-point.decorator.js';
import type { AuthUser } from '../../libs/auth/auth-user.js';
import { toDateString } from '../../libs/clock/calendar.js';
import { CLOCK, type Clock } from '../../libs/clock/index.js';
import { EscalationViewQuery } from '../escalations/escalation-view.query.js';
import { regieOf, type Plan } from '../plans/plan.model.js';
import { regieHolder } from './inbox-regie-indexes.migration.js';

interface CaseRow {
  family_id: string;
  on_case_team: boolean;
  plan: Plan | null;
  open_signals: number;
}

const REGIE_FIELDS = ['casusregisseur', 'perspectiefregisseur', 'procesregisseur'] as const;

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
    // A UNION of indexed lookups (case team: GIN; each regie: an expression index) rather than
    // one OR over a join of every family with its plan, which no index can serve.
    const rows: CaseRow[] = await this.dataSource.query(
      `WITH mine AS (
         SELECT family_id FROM family_views
          WHERE case_team @> jsonb_build_array(jsonb_build_object('professionalId', $1::text))
         ${REGIE_FIELDS.map(
           (field) => `UNION
         SELECT family_id FROM plan_views WHERE status <> 'closed' AND ${regieHolder(field)} = $1`,
         ).join('\n')}
       )
       SELECT f.family_id,
              f.case_team @> jsonb_build_array(jsonb_build_object('professionalId', $1::text)) AS on_case_team,
              CASE WHEN p.status <> 'closed' THEN p.document END AS plan,
              (SELECT count(*)::int FROM escalation_views e
                WHERE e.family_id = f.family_id AND e.status = 'open') AS open_signals
         FROM mine JOIN family_views f ON f.family_id = mine.family_id
         LEFT JOIN plan_views p ON p.family_id = f.family_id
        ORDER BY f.registered_at`,
      [viewer.sub],
    );
    const today = toDateString(this.clock.now());
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
    return {
      cases: rows.map((row) => {
        const regie = row.plan ? regieOf(row.plan) : undefined;
        return {
          familyId: row.family_id,
          roles: [
            ...(row.on_case_team ? ['case_team'] : []),
            ...REGIE_FIELDS.filter((field) => regie?.[field]?.professionalId === viewer.sub),
          ],
          openSignals: row.open_signals,
          overdueActions:
            row.plan?.actions.filter((a) => a.status === 'open' && a.dueDate < today).length ?? 0,
        };
      }),
      escalations: await this.escalations.waitingOn(viewer),
    };
  }
}
