import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { RecordedEvent } from '#libs/event-store/event-envelope.js';
import { BatchState, isUuid } from '#libs/projections/batch-state.js';
import { upsertRows, type BulkUpsert } from '#libs/projections/bulk-write.js';
import type { Projection } from '#libs/projections/projection.js';
import type { FamilyEvent } from '../families/family.events.js';

type Registered = Extract<FamilyEvent, { type: 'family.FamilyRegistered' }>;
type Joined = Extract<FamilyEvent, { type: 'family.ProfessionalJoinedCaseTeam' }>;

const FAMILIES: BulkUpsert = {
  table: 'escalation_families',
  columns: [
    { name: 'family_id', type: 'uuid' },
    { name: 'team_id', type: 'uuid' },
  ],
  conflict: ['family_id'],
};

const CASE_TEAMS: BulkUpsert = {
  table: 'escalation_case_teams',
  columns: [
    { name: 'family_id', type: 'uuid' },
    { name: 'professional_id', type: 'text' },
  ],
  conflict: ['family_id', 'professional_id'],
};

/** A malformed id fails its own event here, not the batch's statement in `flush`. */
function uuid(value: string): string {
  if (!isUuid(value)) throw new Error(`Not a uuid: ${String(value)}`);
  return value;
}

interface Batch {
  readonly families: Array<{ family_id: string; team_id: string }>;
  readonly caseTeams: Array<{ family_id: string; professional_id: string }>;
}

/**
 * The family facts that decide who may see an escalation (ESCALATION_ACCESS_SQL): each family's
 * SLT team and who joined its case team, folded from the family events instead of read from
 * family_views, which is src/families'. Both only grow (a family keeps its team, a professional
 * who joined stays on the case team), so every event is an insert that is already there when
 * replayed, and a batch writes them with one statement per table in `flush`.
 */
@Injectable()
export class EscalationFamiliesProjection implements Projection {
  readonly name = 'escalation-families';
  readonly tables = ['escalation_families', 'escalation_case_teams'];
  readonly eventTypes = ['family.FamilyRegistered', 'family.ProfessionalJoinedCaseTeam'];
  private readonly batches = new BatchState<Batch>(() => ({ families: [], caseTeams: [] }));

  async apply(event: RecordedEvent, manager: EntityManager): Promise<void> {
    const batch = this.batches.of(manager);
    if (event.type === 'family.FamilyRegistered') {
      const { familyId, teamId } = (event as unknown as Registered).data;
      batch.families.push({ family_id: uuid(familyId), team_id: uuid(teamId) });
    } else if (event.type === 'family.ProfessionalJoinedCaseTeam') {
      const { familyId, professionalId } = (event as unknown as Joined).data;
      batch.caseTeams.push({ family_id: uuid(familyId), professional_id: String(professionalId) });
    }
  }

  async flush(manager: EntityManager): Promise<void> {
    const batch = this.batches.take(manager);
    if (!batch) return;
    await upsertRows(manager, FAMILIES, batch.families);
    await upsertRows(manager, CASE_TEAMS, batch.caseTeams);
  }
}
