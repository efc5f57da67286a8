import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { RecordedEvent } from '../../libs/event-store/event-envelope.js';
import type { Projection } from '../../libs/projections/projection.js';
import {
  foldInboxPlan,
  INBOX_ESCALATION_EVENT_TYPES,
  INBOX_FAMILY_EVENT_TYPES,
  INBOX_PLAN_EVENT_TYPES,
  isOfPlan,
  opensEscalation,
  regieRoles,
  type InboxEscalationEvent,
  type InboxFamilyEvent,
  type InboxPlanEvent,
  type InboxPlanState,
} from './inbox-cases.fold.js';

const PLAN_STREAM = 'gezinsplan-';

interface CaseRow {
  plan_id: string | null;
  plan_open: boolean;
  casusregisseur: string | null;
  perspectiefregisseur: string | null;
  procesregisseur: string | null;
}

const sameRoles = (a: ReturnType<typeof regieRoles>, b: ReturnType<typeof regieRoles>) =>
  a.length === b.length &&
  a.every((r, i) => r.role === b[i].role && r.professionalId === b[i].professionalId);

/**
 * The inbox's own read model, shaped for "my cases": inbox_case_roles (one row per
 * professional, family and role: the case team, and each regie of a plan that is not closed),
 * inbox_cases (the family's registration and its current plan), inbox_open_actions (the open
 * actions of the current plan with their due dates; "overdue" is the clock's, judged at read
 * time) and inbox_escalations (whether each escalation of a family is open).
 */
@Injectable()
export class InboxCasesProjection implements Projection {
  readonly name = 'inbox-cases';
  readonly tables = ['inbox_cases', 'inbox_case_roles', 'inbox_open_actions', 'inbox_escalations'];
  readonly eventTypes = [
    ...INBOX_FAMILY_EVENT_TYPES,
    ...INBOX_PLAN_EVENT_TYPES,
    ...INBOX_ESCALATION_EVENT_TYPES,
  ];

  async apply(event: RecordedEvent, manager: EntityManager): Promise<void> {
    if (event.type.startsWith('family.')) {
      return this.family(event as unknown as InboxFamilyEvent, manager);
    }
    if (event.type.startsWith('gezinsplan.')) {
      return this.plan(
        event.streamId.slice(PLAN_STREAM.length),
        event as unknown as InboxPlanEvent,
        manager,
      );
    }
    if (event.type.startsWith('escalation.')) {
      return this.escalation(event as unknown as InboxEscalationEvent, manager);
    }
  }

  private async family(event: InboxFamilyEvent, manager: EntityManager) {
    switch (event.type) {
      case 'family.FamilyRegistered':
        await manager.query(
          `INSERT INTO inbox_cases (family_id, registered_at) VALUES ($1, $2)
           ON CONFLICT (family_id) DO UPDATE SET registered_at = excluded.registered_at`,
          [event.data.familyId, event.metadata.occurredAt],
        );
        return;
      case 'family.ProfessionalJoinedCaseTeam':
        await manager.query(
          `INSERT INTO inbox_case_roles (professional_id, family_id, role)
           VALUES ($1, $2, 'case_team') ON CONFLICT DO NOTHING`,
          [event.data.professionalId, event.data.familyId],
        );
        return;
    }
  }

  private async plan(familyId: string, event: InboxPlanEvent, manager: EntityManager) {
    const before = await this.storedPlan(familyId, manager);
    switch (event.type) {
      case 'gezinsplan.ActionAdded': {
        const { action } = event.data;
        if (!isOfPlan(before, event) || action.status !== 'open') return;
        await manager.query(
          `INSERT INTO inbox_open_actions (family_id, action_id, due_date) VALUES ($1, $2, $3)
           ON CONFLICT (family_id, action_id) DO UPDATE SET due_date = excluded.due_date`,
          [familyId, action.actionId, action.dueDate],
        );
        return;
      }
      case 'gezinsplan.ActionCompleted':
        if (!isOfPlan(before, event)) return;
        await manager.query(
          'DELETE FROM inbox_open_actions WHERE family_id = $1 AND action_id = $2',
          [familyId, event.data.actionId],
        );
        return;
      default:
        break;
    }
    const after = foldInboxPlan(before, event);
    if (after === before || !after) return;
    if (event.type === 'gezinsplan.PlanOpened') {
      // A new plan starts without actions; the last plan's are no one's to do any more.
      await manager.query('DELETE FROM inbox_open_actions WHERE family_id = $1', [familyId]);
    }
    await manager.query(
      `INSERT INTO inbox_cases (family_id, plan_id, plan_open, casusregisseur,
         perspectiefregisseur, procesregisseur)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (family_id) DO UPDATE SET plan_id = excluded.plan_id,
         plan_open = excluded.plan_open, casusregisseur = excluded.casusregisseur,
         perspectiefregisseur = excluded.perspectiefregisseur,
         procesregisseur = excluded.procesregisseur`,
      [
        familyId,
        after.planId,
        after.open,
        after.regie.casusregisseur,
        after.regie.perspectiefregisseur,
        after.regie.procesregisseur,
      ],
    );
    const roles = regieRoles(after);
    if (sameRoles(regieRoles(before), roles)) return;
    await manager.query(
      `DELETE FROM inbox_case_roles WHERE family_id = $1 AND role <> 'case_team'`,
      [familyId],
    );
    if (roles.length === 0) return;
    await manager.query(
      `INSERT INTO inbox_case_roles (professional_id, family_id, role)
       SELECT p, $1, r FROM unnest($2::text[], $3::text[]) AS x(p, r)`,
      [familyId, roles.map((r) => r.professionalId), roles.map((r) => r.role)],
    );
  }

  private async escalation(event: InboxEscalationEvent, manager: EntityManager) {
    if (event.type === 'escalation.SignalRaised') {
      await manager.query(
        `INSERT INTO inbox_escalations (escalation_id, family_id, open) VALUES ($1, $2, true)
         ON CONFLICT (escalation_id) DO UPDATE SET family_id = excluded.family_id, open = true`,
        [event.data.escalationId, event.data.familyId],
      );
      return;
    }
    // An escalation whose signal was never seen has no row, as it has no view.
    await manager.query('UPDATE inbox_escalations SET open = $2 WHERE escalation_id = $1', [
      event.data.escalationId,
      opensEscalation(event),
    ]);
  }

  private async storedPlan(familyId: string, manager: EntityManager) {
    const rows: CaseRow[] = await manager.query(
      `SELECT plan_id, plan_open, casusregisseur, perspectiefregisseur, procesregisseur
         FROM inbox_cases WHERE family_id = $1`,
      [familyId],
    );
    const row = rows[0];
    if (!row?.plan_id) return null;
    return {
      planId: row.plan_id,
      open: row.plan_open,
      regie: {
        casusregisseur: row.casusregisseur,
        perspectiefregisseur: row.perspectiefregisseur,
        procesregisseur: row.procesregisseur,
      },
    } satisfies InboxPlanState;
  }
}
