import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { RecordedEvent } from '#libs/event-store/event-envelope.js';
import { BatchState, isUuid } from '#libs/projections/batch-state.js';
import { upsertRows } from '#libs/projections/bulk-write.js';
import type { Projection } from '#libs/projections/projection.js';
import {
  ESCALATION_EVENT_VIEW_TYPES,
  foldEscalationFacts,
  type EscalationEventView,
  type EscalationFactsState,
} from '../privacy/privacy-facts.fold.js';
import {
  escalationFactsRow,
  escalationFactsUpsert,
  loadEscalationFacts,
} from '../privacy/escalation-facts.table.js';

const TABLE = 'family_escalation_holders';
const HOLDERS = escalationFactsUpsert(TABLE);

/** One batch of the runner (from `prepare` to `flush`): rows as stored, and as folded since. */
interface Batch {
  readonly stored: Map<string, EscalationFactsState | undefined>;
  readonly folded: Map<string, EscalationFactsState>;
}

const idOf = (event: RecordedEvent) => (event.data as { escalationId?: string }).escalationId;

/**
 * What invariant 3 asks of a family's escalations when a professional joins its case team
 * (join-case-team.handler.ts): who holds which level of each, and whether it is open. Folded
 * from the escalation events with the fold the privacy lens uses for the same facts (their type
 * names and fields are the published contract; src/escalations imports src/families, so the
 * producer's types are not imported here), instead of read from escalation_views, which is
 * src/escalations'. A batch reads its rows with one statement in `prepare` and writes them with
 * one in `flush`.
 */
@Injectable()
export class FamilyEscalationHoldersProjection implements Projection {
  readonly name = 'family-escalation-holders';
  readonly tables = ['family_escalation_holders'];
  readonly eventTypes = ESCALATION_EVENT_VIEW_TYPES;
  private readonly batches = new BatchState<Batch>(() => ({
    stored: new Map(),
    folded: new Map(),
  }));

  async prepare(events: readonly RecordedEvent[], manager: EntityManager): Promise<void> {
    const ids = [...new Set(events.map(idOf))].filter(isUuid);
    await loadEscalationFacts(manager, TABLE, ids, this.batches.of(manager).stored);
  }

  async apply(event: RecordedEvent, manager: EntityManager): Promise<void> {
    const id = idOf(event);
    if (!isUuid(id)) throw new Error(`Not a uuid: ${String(id)}`);
    const batch = this.batches.of(manager);
    if (!batch.stored.has(id)) await loadEscalationFacts(manager, TABLE, [id], batch.stored);
    const before = batch.folded.get(id) ?? batch.stored.get(id);
    const after = foldEscalationFacts(before, event as unknown as EscalationEventView);
    if (!after) return;
    if (!isUuid(after.familyId)) throw new Error(`Not a uuid: ${String(after.familyId)}`);
    batch.folded.set(id, after);
  }

  async flush(manager: EntityManager): Promise<void> {
    const batch = this.batches.take(manager);
    if (!batch) return;
    await upsertRows(
      manager,
      HOLDERS,
      [...batch.folded].map(([escalationId, e]) => escalationFactsRow(escalationId, e)),
    );
  }
}
