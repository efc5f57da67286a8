import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { RecordedEvent } from '../../libs/event-store/event-envelope.js';
import { upsertRows } from '../../libs/projections/bulk-write.js';
import type { Projection } from '../../libs/projections/projection.js';
import {
  ESCALATION_EVENT_VIEW_TYPES,
  foldEscalationFacts,
  type EscalationEventView,
  type EscalationFactsState,
} from '../privacy/privacy-facts.fold.js';
import {
  escalationFactsOf,
  escalationFactsRow,
  escalationFactsUpsert,
  type EscalationFactsRow,
} from '../privacy/escalation-facts.table.js';

const HOLDERS = escalationFactsUpsert('family_escalation_holders');

/** One batch of the runner (from `prepare` to `flush`): rows as stored, and as folded since. */
interface PendingBatch {
  readonly stored: Map<string, EscalationFactsState>;
  readonly folded: Map<string, EscalationFactsState>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const idOf = (event: RecordedEvent) => (event.data as { escalationId?: unknown }).escalationId;

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
  // Keyed by the transaction's manager: a rolled-back batch leaves nothing behind.
  private readonly batches = new WeakMap<EntityManager, PendingBatch>();

  async prepare(events: readonly RecordedEvent[], manager: EntityManager): Promise<void> {
    // An id that is no uuid is left to `apply`, which fails on its own event.
    const ids = [...new Set(events.map(idOf))].filter(
      (id): id is string => typeof id === 'string' && UUID.test(id),
    );
    const rows: EscalationFactsRow[] = await manager.query(
      `SELECT escalation_id, family_id, level, status, holder_id
         FROM family_escalation_holders WHERE escalation_id = ANY($1::uuid[])`,
      [ids],
    );
    const stored = new Map(rows.map((row) => [row.escalation_id, escalationFactsOf(row)]));
    this.batches.set(manager, { stored, folded: new Map() });
  }

  async apply(event: RecordedEvent, manager: EntityManager): Promise<void> {
    const id = idOf(event);
    if (typeof id !== 'string' || !UUID.test(id)) throw new Error(`Not a uuid: ${String(id)}`);
    const batch = this.batches.get(manager);
    if (!batch) {
      // Outside a batch of the runner: read, fold and write this one event at once.
      await this.prepare([event], manager);
      await this.apply(event, manager);
      return this.flush(manager);
    }
    const before = batch.folded.get(id) ?? batch.stored.get(id);
    const after = foldEscalationFacts(before, event as unknown as EscalationEventView);
    if (!after) return;
    if (!UUID.test(after.familyId)) throw new Error(`Not a uuid: ${after.familyId}`);
    batch.folded.set(id, after);
  }

  async flush(manager: EntityManager): Promise<void> {
    const batch = this.batches.get(manager);
    if (!batch) return;
    this.batches.delete(manager);
    await upsertRows(
      manager,
      HOLDERS,
      [...batch.folded].map(([escalationId, e]) => escalationFactsRow(escalationId, e)),
    );
  }
}
