import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { RecordedEvent } from '#libs/event-store/event-envelope.js';
import { BatchState, isUuid } from '#libs/projections/batch-state.js';
import { upsertRows, type BulkUpsert } from '#libs/projections/bulk-write.js';
import type { Projection } from '#libs/projections/projection.js';

/**
 * The events that start a stream of a family under an id of its own, and the stream's kind
 * (escalations/escalation.events.ts, erasure/erasure.events.ts: both name the family; their
 * type names and fields are the published contract).
 */
const STARTS = {
  'escalation.SignalRaised': 'escalation',
  'erasure.ErasureRequested': 'erasure',
} as const;

type Start = keyof typeof STARTS;

const STREAMS: BulkUpsert = {
  table: 'audit_family_streams',
  columns: [
    { name: 'family_id', type: 'uuid' },
    { name: 'stream_id', type: 'text' },
    { name: 'kind', type: 'text' },
  ],
  conflict: ['family_id', 'stream_id'],
};

type StreamRow = { family_id: string; stream_id: string; kind: string };

/**
 * Which streams besides its own hold a family's history: one row per escalation and erasure
 * request, written when its stream starts, so the auditor's history, export and verification
 * find them without reading escalation_views or erasure_requests (src/escalations' and
 * src/erasure's). The family's own streams (family-, gezinsplan-, retention-) are named after
 * it and need no row. Rows are only ever added, once per batch in `flush`.
 */
@Injectable()
export class AuditFamilyStreamsProjection implements Projection {
  readonly name = 'audit-family-streams';
  readonly tables = ['audit_family_streams'];
  readonly eventTypes = Object.keys(STARTS) as Start[];
  private readonly batches = new BatchState<StreamRow[]>(() => []);

  async apply(event: RecordedEvent, manager: EntityManager): Promise<void> {
    const familyId = (event.data as { familyId?: string }).familyId;
    // A malformed id fails its own event here, not the batch's statement in `flush`.
    if (!isUuid(familyId)) throw new Error(`Not a uuid: ${String(familyId)}`);
    this.batches.of(manager).push({
      family_id: familyId,
      stream_id: event.streamId,
      kind: STARTS[event.type as Start],
    });
  }

  async flush(manager: EntityManager): Promise<void> {
    const rows = this.batches.take(manager);
    if (rows) await upsertRows(manager, STREAMS, rows);
  }
}
