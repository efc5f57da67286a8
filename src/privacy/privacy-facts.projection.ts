import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { RecordedEvent } from '#libs/event-store/event-envelope.js';
import { upsertRows, type BulkUpsert } from '#libs/projections/bulk-write.js';
import { isUuid } from '#libs/projections/batch-state.js';
import type { Projection } from '#libs/projections/projection.js';
import {
  ESCALATION_EVENT_VIEW_TYPES,
  FAMILY_EVENT_VIEW_TYPES,
  foldEscalationFacts,
  foldFamilyFacts,
  foldPlanFacts,
  NO_FAMILY_FACTS,
  PLAN_EVENT_VIEW_TYPES,
  type EmergencyGrantView,
  type EscalationEventView,
  type EscalationFactsState,
  type FamilyEventView,
  type FamilyFactsState,
  type PlanEventView,
} from './privacy-facts.fold.js';
import {
  escalationFactsRow,
  escalationFactsUpsert,
  loadEscalationFacts,
} from './escalation-facts.table.js';

const PLAN_STREAM = 'gezinsplan-';

const FAMILY_FACTS: BulkUpsert = {
  table: 'privacy_family_facts',
  columns: [
    { name: 'family_id', type: 'uuid' },
    { name: 'team_id', type: 'uuid' },
    { name: 'members', type: 'jsonb' },
    { name: 'case_team', type: 'jsonb' },
    { name: 'consents', type: 'jsonb' },
    { name: 'plan_id', type: 'uuid' },
    { name: 'plan_status', type: 'text' },
    { name: 'regie', type: 'jsonb' },
  ],
  conflict: ['family_id'],
  update: ['team_id', 'members', 'case_team', 'consents', 'plan_id', 'plan_status', 'regie'],
};

const ESCALATIONS = escalationFactsUpsert('privacy_escalations');

interface FamilyRow {
  family_id: string;
  team_id: string | null;
  members: FamilyFactsState['members'];
  case_team: FamilyFactsState['caseTeam'];
  consents: FamilyFactsState['consents'];
  plan_id: string | null;
  plan_status: 'draft' | 'agreed' | 'closed' | null;
  regie: NonNullable<FamilyFactsState['plan']>['regie'] | null;
}

/** What one batch (one transaction) has folded and not yet written. */
interface PendingBatch {
  /** As stored when the batch began (NO_FAMILY_FACTS, undefined: no row), loaded by `prepare`. */
  storedFamilies: Map<string, FamilyFactsState>;
  storedEscalations: Map<string, EscalationFactsState | undefined>;
  families: Map<string, FamilyFactsState>;
  escalations: Map<string, EscalationFactsState>;
}

/**
 * The privacy lens's own read model, folded from the family, plan, escalation and emergency
 * access events: privacy_family_facts (one row per family: members with their sealed personal
 * data, case team, consents, the plan's status and regie), privacy_escalations (level, status
 * and holder of every escalation) and privacy_emergency_grants (one row per family an emergency
 * access covers). Rows change once per batch, in `flush`, as the plan projection does.
 */
@Injectable()
export class PrivacyFactsProjection implements Projection {
  readonly name = 'privacy-facts';
  readonly tables = ['privacy_family_facts', 'privacy_escalations', 'privacy_emergency_grants'];
  readonly eventTypes = [
    ...FAMILY_EVENT_VIEW_TYPES,
    ...PLAN_EVENT_VIEW_TYPES,
    ...ESCALATION_EVENT_VIEW_TYPES,
    'emergency.AccessGranted',
  ];
  // Keyed by the transaction's manager: a rolled-back batch leaves nothing behind.
  private readonly batches = new WeakMap<EntityManager, PendingBatch>();

  async apply(event: RecordedEvent, manager: EntityManager): Promise<void> {
    const batch = this.batchOf(manager);
    if (event.type.startsWith('family.')) {
      const e = event as unknown as FamilyEventView;
      const familyId = e.data.familyId;
      const state = await this.family(batch, familyId, manager);
      batch.families.set(familyId, foldFamilyFacts(state, e));
    } else if (event.type.startsWith('gezinsplan.')) {
      // Only PlanOpened names the family; the stream does for every plan event.
      const familyId = event.streamId.slice(PLAN_STREAM.length);
      const state = await this.family(batch, familyId, manager);
      const plan = foldPlanFacts(state.plan, event as unknown as PlanEventView);
      batch.families.set(familyId, { ...state, plan });
    } else if (event.type.startsWith('escalation.')) {
      const e = event as unknown as EscalationEventView;
      const id = e.data.escalationId;
      const next = foldEscalationFacts(await this.escalation(batch, id, manager), e);
      if (next) batch.escalations.set(id, next);
    } else if (event.type === 'emergency.AccessGranted') {
      const d = (event as unknown as EmergencyGrantView).data;
      if (d.familyIds.length === 0) return;
      await manager.query(
        `INSERT INTO privacy_emergency_grants (access_id, family_id, user_id, reason, granted_at, until)
         SELECT $1, f, $2, $3, $4, $5 FROM unnest($6::uuid[]) AS f`,
        [d.accessId, d.userId, d.reason, d.grantedAt, d.until, d.familyIds],
      );
    }
  }

  async flush(manager: EntityManager): Promise<void> {
    const batch = this.batches.get(manager);
    if (!batch) return;
    this.batches.delete(manager);
    await upsertRows(
      manager,
      FAMILY_FACTS,
      [...batch.families].map(([familyId, f]) => ({
        family_id: familyId,
        team_id: f.teamId,
        members: f.members,
        case_team: f.caseTeam,
        consents: f.consents,
        plan_id: f.plan?.planId ?? null,
        plan_status: f.plan?.status ?? null,
        regie: f.plan?.regie ?? null,
      })),
    );
    await upsertRows(
      manager,
      ESCALATIONS,
      [...batch.escalations].map(([escalationId, e]) => escalationFactsRow(escalationId, e)),
    );
  }

  private batchOf(manager: EntityManager): PendingBatch {
    let batch = this.batches.get(manager);
    if (!batch) {
      batch = {
        storedFamilies: new Map(),
        storedEscalations: new Map(),
        families: new Map(),
        escalations: new Map(),
      };
      this.batches.set(manager, batch);
    }
    return batch;
  }

  /** Loads the stored facts of every family and escalation of the batch, two statements. */
  async prepare(events: readonly RecordedEvent[], manager: EntityManager): Promise<void> {
    const batch = this.batchOf(manager);
    const families = new Set<string>();
    const escalations = new Set<string>();
    for (const event of events) {
      if (event.type.startsWith('family.'))
        families.add((event.data as { familyId: string }).familyId);
      else if (event.type.startsWith('gezinsplan.'))
        families.add(event.streamId.slice(PLAN_STREAM.length));
      else if (event.type.startsWith('escalation.'))
        escalations.add((event.data as { escalationId: string }).escalationId);
    }
    await this.loadFamilies(batch, [...families].filter(isUuid), manager);
    await this.loadEscalations(batch, [...escalations].filter(isUuid), manager);
  }

  private async family(
    batch: PendingBatch,
    familyId: string,
    manager: EntityManager,
  ): Promise<FamilyFactsState> {
    const pending = batch.families.get(familyId);
    if (pending) return pending;
    if (!batch.storedFamilies.has(familyId)) await this.loadFamilies(batch, [familyId], manager);
    return batch.storedFamilies.get(familyId)!;
  }

  private async escalation(
    batch: PendingBatch,
    escalationId: string,
    manager: EntityManager,
  ): Promise<EscalationFactsState | undefined> {
    const pending = batch.escalations.get(escalationId);
    if (pending) return pending;
    if (!batch.storedEscalations.has(escalationId)) {
      await this.loadEscalations(batch, [escalationId], manager);
    }
    return batch.storedEscalations.get(escalationId);
  }

  private async loadFamilies(batch: PendingBatch, ids: string[], manager: EntityManager) {
    if (ids.length === 0) return;
    const rows: FamilyRow[] = await manager.query(
      `SELECT family_id, team_id, members, case_team, consents, plan_id, plan_status, regie
         FROM privacy_family_facts WHERE family_id = ANY($1::uuid[])`,
      [ids],
    );
    for (const id of ids) batch.storedFamilies.set(id, NO_FAMILY_FACTS);
    for (const row of rows) {
      batch.storedFamilies.set(row.family_id, {
        teamId: row.team_id,
        members: row.members,
        caseTeam: row.case_team,
        consents: row.consents,
        plan:
          row.plan_id && row.plan_status && row.regie
            ? { planId: row.plan_id, status: row.plan_status, regie: row.regie }
            : null,
      });
    }
  }

  private loadEscalations(batch: PendingBatch, ids: string[], manager: EntityManager) {
    return loadEscalationFacts(manager, 'privacy_escalations', ids, batch.storedEscalations);
  }
}
