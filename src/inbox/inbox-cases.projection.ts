import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { RecordedEvent } from '#libs/event-store/event-envelope.js';
import { BatchState, isUuid } from '#libs/projections/batch-state.js';
import { upsertRows, type BulkUpsert } from '#libs/projections/bulk-write.js';
import type { Projection } from '#libs/projections/projection.js';
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
  family_id: string;
  registered_at: Date | string | null;
  plan_id: string | null;
  plan_open: boolean;
  casusregisseur: string | null;
  perspectiefregisseur: string | null;
  procesregisseur: string | null;
}

/** A family's row of inbox_cases as the batch has folded it. */
interface Case {
  readonly registeredAt: string | null;
  readonly plan: InboxPlanState | null;
}

/** The open actions of one family that the batch changed. */
interface ActionChanges {
  /** A new plan began: every earlier action of the family goes. */
  cleared: boolean;
  readonly open: Map<string, string>;
  readonly done: Set<string>;
}

interface Batch {
  /** Cases as stored when the batch began (undefined: no row), loaded by `prepare`. */
  readonly stored: Map<string, Case | undefined>;
  readonly cases: Map<string, Case>;
  readonly caseTeam: Map<string, { professional_id: string; family_id: string }>;
  readonly actions: Map<string, ActionChanges>;
  /** Whether each escalation is open after the batch; with the family when its signal is in it. */
  readonly escalations: Map<string, { familyId?: string; open: boolean }>;
}

const CASES: BulkUpsert = {
  table: 'inbox_cases',
  columns: [
    { name: 'family_id', type: 'uuid' },
    { name: 'registered_at', type: 'timestamptz' },
    { name: 'plan_id', type: 'uuid' },
    { name: 'plan_open', type: 'boolean' },
    { name: 'casusregisseur', type: 'text' },
    { name: 'perspectiefregisseur', type: 'text' },
    { name: 'procesregisseur', type: 'text' },
  ],
  conflict: ['family_id'],
  update: [
    'registered_at',
    'plan_id',
    'plan_open',
    'casusregisseur',
    'perspectiefregisseur',
    'procesregisseur',
  ],
};

const ROLES: BulkUpsert = {
  table: 'inbox_case_roles',
  columns: [
    { name: 'professional_id', type: 'text' },
    { name: 'family_id', type: 'uuid' },
    { name: 'role', type: 'text' },
  ],
  conflict: ['professional_id', 'family_id', 'role'],
};

const OPEN_ACTIONS: BulkUpsert = {
  table: 'inbox_open_actions',
  columns: [
    { name: 'family_id', type: 'uuid' },
    { name: 'action_id', type: 'uuid' },
    { name: 'due_date', type: 'text' },
  ],
  conflict: ['family_id', 'action_id'],
  update: ['due_date'],
};

const RAISED: BulkUpsert = {
  table: 'inbox_escalations',
  columns: [
    { name: 'escalation_id', type: 'uuid' },
    { name: 'family_id', type: 'uuid' },
    { name: 'open', type: 'boolean' },
  ],
  conflict: ['escalation_id'],
  update: ['family_id', 'open'],
};

const sameRoles = (a: ReturnType<typeof regieRoles>, b: ReturnType<typeof regieRoles>) =>
  a.length === b.length &&
  a.every((r, i) => r.role === b[i].role && r.professionalId === b[i].professionalId);

const familyOf = (event: RecordedEvent): string | undefined =>
  event.type.startsWith('family.')
    ? (event.data as { familyId?: string }).familyId
    : event.type.startsWith('gezinsplan.')
      ? event.streamId.slice(PLAN_STREAM.length)
      : undefined;

/**
 * The inbox's own read model, shaped for "my cases": inbox_case_roles (one row per
 * professional, family and role: the case team, and each regie of a plan that is not closed),
 * inbox_cases (the family's registration and its current plan), inbox_open_actions (the open
 * actions of the current plan with their due dates; "overdue" is the clock's, judged at read
 * time) and inbox_escalations (whether each escalation of a family is open).
 *
 * A batch is folded in memory and written in `flush` with a few set-based statements: per
 * event, a rebuild sent five statements and read the case back each time (B2).
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
  private readonly batches = new BatchState<Batch>(() => ({
    stored: new Map(),
    cases: new Map(),
    caseTeam: new Map(),
    actions: new Map(),
    escalations: new Map(),
  }));

  /** Loads the stored case of every family of the batch with one statement. */
  async prepare(events: readonly RecordedEvent[], manager: EntityManager): Promise<void> {
    const batch = this.batches.of(manager);
    const families = [...new Set(events.map(familyOf))].filter(isUuid);
    if (families.length === 0) return;
    const rows: CaseRow[] = await manager.query(
      `SELECT family_id, registered_at, plan_id, plan_open, casusregisseur,
              perspectiefregisseur, procesregisseur
         FROM inbox_cases WHERE family_id = ANY($1::uuid[])`,
      [families],
    );
    for (const family of families) batch.stored.set(family, undefined);
    for (const row of rows) batch.stored.set(row.family_id, caseOf(row));
  }

  async apply(event: RecordedEvent, manager: EntityManager): Promise<void> {
    const batch = this.batches.of(manager);
    if (event.type.startsWith('family.')) {
      return this.family(batch, event as unknown as InboxFamilyEvent, manager);
    }
    if (event.type.startsWith('gezinsplan.')) {
      const familyId = event.streamId.slice(PLAN_STREAM.length);
      return this.plan(batch, familyId, event as unknown as InboxPlanEvent, manager);
    }
    if (event.type.startsWith('escalation.')) {
      this.escalation(batch, event as unknown as InboxEscalationEvent);
    }
  }

  async flush(manager: EntityManager): Promise<void> {
    const batch = this.batches.take(manager);
    if (!batch) return;
    await upsertRows(
      manager,
      CASES,
      [...batch.cases].map(([familyId, c]) => ({
        family_id: familyId,
        registered_at: c.registeredAt,
        plan_id: c.plan?.planId ?? null,
        plan_open: c.plan?.open ?? false,
        casusregisseur: c.plan?.regie.casusregisseur ?? null,
        perspectiefregisseur: c.plan?.regie.perspectiefregisseur ?? null,
        procesregisseur: c.plan?.regie.procesregisseur ?? null,
      })),
    );
    await this.writeRoles(batch, manager);
    await this.writeActions(batch, manager);
    await this.writeEscalations(batch, manager);
  }

  private async family(batch: Batch, event: InboxFamilyEvent, manager: EntityManager) {
    const familyId = event.data.familyId;
    switch (event.type) {
      case 'family.FamilyRegistered': {
        const current = await this.case(batch, familyId, manager);
        batch.cases.set(familyId, {
          registeredAt: event.metadata.occurredAt,
          plan: current?.plan ?? null,
        });
        return;
      }
      case 'family.ProfessionalJoinedCaseTeam': {
        const professionalId = event.data.professionalId;
        batch.caseTeam.set(`${professionalId}\n${familyId}`, {
          professional_id: professionalId,
          family_id: familyId,
        });
        return;
      }
    }
  }

  private async plan(
    batch: Batch,
    familyId: string,
    event: InboxPlanEvent,
    manager: EntityManager,
  ) {
    const current = await this.case(batch, familyId, manager);
    const before = current?.plan ?? null;
    switch (event.type) {
      case 'gezinsplan.ActionAdded': {
        const { action } = event.data;
        if (!isOfPlan(before, event) || action.status !== 'open') return;
        const changes = this.actionsOf(batch, familyId);
        changes.done.delete(action.actionId);
        changes.open.set(action.actionId, action.dueDate);
        return;
      }
      case 'gezinsplan.ActionCompleted': {
        if (!isOfPlan(before, event)) return;
        const changes = this.actionsOf(batch, familyId);
        changes.open.delete(event.data.actionId);
        changes.done.add(event.data.actionId);
        return;
      }
      default:
        break;
    }
    const after = foldInboxPlan(before, event);
    if (after === before || !after) return;
    if (event.type === 'gezinsplan.PlanOpened') {
      // A new plan starts without actions; the last plan's are no one's to do any more.
      const changes = this.actionsOf(batch, familyId);
      changes.cleared = true;
      changes.open.clear();
      changes.done.clear();
    }
    batch.cases.set(familyId, { registeredAt: current?.registeredAt ?? null, plan: after });
  }

  private escalation(batch: Batch, event: InboxEscalationEvent) {
    const id = event.data.escalationId;
    if (event.type === 'escalation.SignalRaised') {
      batch.escalations.set(id, { familyId: event.data.familyId, open: true });
      return;
    }
    const known = batch.escalations.get(id);
    batch.escalations.set(id, { familyId: known?.familyId, open: opensEscalation(event) });
  }

  /** The regie roles of every family whose plan changed, when they differ from the stored ones. */
  private async writeRoles(batch: Batch, manager: EntityManager) {
    const changed = [...batch.cases].filter(
      ([familyId, c]) =>
        !sameRoles(regieRoles(batch.stored.get(familyId)?.plan ?? null), regieRoles(c.plan)),
    );
    if (changed.length > 0) {
      await manager.query(
        `DELETE FROM inbox_case_roles WHERE family_id = ANY($1::uuid[]) AND role <> 'case_team'`,
        [changed.map(([familyId]) => familyId)],
      );
    }
    await upsertRows(manager, ROLES, [
      ...[...batch.caseTeam.values()].map((row) => ({ ...row, role: 'case_team' })),
      ...changed.flatMap(([familyId, c]) =>
        regieRoles(c.plan).map((r) => ({
          professional_id: r.professionalId,
          family_id: familyId,
          role: r.role,
        })),
      ),
    ]);
  }

  private async writeActions(batch: Batch, manager: EntityManager) {
    const changes = [...batch.actions];
    const cleared = changes.filter(([, c]) => c.cleared).map(([familyId]) => familyId);
    if (cleared.length > 0) {
      await manager.query('DELETE FROM inbox_open_actions WHERE family_id = ANY($1::uuid[])', [
        cleared,
      ]);
    }
    const done = changes.flatMap(([familyId, c]) => [...c.done].map((a) => [familyId, a]));
    if (done.length > 0) {
      await manager.query(
        `DELETE FROM inbox_open_actions o USING unnest($1::uuid[], $2::uuid[]) AS d(f, a)
          WHERE o.family_id = d.f AND o.action_id = d.a`,
        [done.map(([f]) => f), done.map(([, a]) => a)],
      );
    }
    await upsertRows(
      manager,
      OPEN_ACTIONS,
      changes.flatMap(([familyId, c]) =>
        [...c.open].map(([actionId, dueDate]) => ({
          family_id: familyId,
          action_id: actionId,
          due_date: dueDate,
        })),
      ),
    );
  }

  private async writeEscalations(batch: Batch, manager: EntityManager) {
    const all = [...batch.escalations];
    await upsertRows(
      manager,
      RAISED,
      all
        .filter(([, e]) => e.familyId !== undefined)
        .map(([id, e]) => ({ escalation_id: id, family_id: e.familyId, open: e.open })),
    );
    // An escalation whose signal was never seen has no row, as it has no view.
    const others = all.filter(([, e]) => e.familyId === undefined);
    if (others.length === 0) return;
    await manager.query(
      `UPDATE inbox_escalations e SET open = u.open
         FROM unnest($1::uuid[], $2::boolean[]) AS u(id, open) WHERE e.escalation_id = u.id`,
      [others.map(([id]) => id), others.map(([, e]) => e.open)],
    );
  }

  private actionsOf(batch: Batch, familyId: string): ActionChanges {
    let changes = batch.actions.get(familyId);
    if (!changes) {
      changes = { cleared: false, open: new Map(), done: new Set() };
      batch.actions.set(familyId, changes);
    }
    return changes;
  }

  private async case(batch: Batch, familyId: string, manager: EntityManager) {
    const pending = batch.cases.get(familyId);
    if (pending) return pending;
    if (!batch.stored.has(familyId)) await this.prepareOne(batch, familyId, manager);
    return batch.stored.get(familyId);
  }

  /** A family `prepare` did not load (an id it could not use): read alone, so its own event fails. */
  private async prepareOne(batch: Batch, familyId: string, manager: EntityManager) {
    const rows: CaseRow[] = await manager.query(
      `SELECT family_id, registered_at, plan_id, plan_open, casusregisseur,
              perspectiefregisseur, procesregisseur
         FROM inbox_cases WHERE family_id = $1`,
      [familyId],
    );
    batch.stored.set(familyId, rows[0] ? caseOf(rows[0]) : undefined);
  }
}

function caseOf(row: CaseRow): Case {
  return {
    registeredAt:
      row.registered_at instanceof Date ? row.registered_at.toISOString() : row.registered_at,
    plan: row.plan_id
      ? {
          planId: row.plan_id,
          open: row.plan_open,
          regie: {
            casusregisseur: row.casusregisseur,
            perspectiefregisseur: row.perspectiefregisseur,
            procesregisseur: row.procesregisseur,
          },
        }
      : null,
  };
}
