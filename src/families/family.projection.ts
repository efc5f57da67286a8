import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { RecordedEvent } from '#libs/event-store/event-envelope.js';
import { upsertRows, type BulkUpsert } from '#libs/projections/bulk-write.js';
import type { Projection } from '#libs/projections/projection.js';
import { FAMILY_EVENT_TYPES } from './family.events.js';
import { foldFamilyView, type FamilyViewRow } from './family-view.fold.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const VIEWS: BulkUpsert = {
  table: 'family_views',
  columns: [
    { name: 'family_id', type: 'uuid' },
    { name: 'team_id', type: 'uuid' },
    { name: 'municipality', type: 'text' },
    { name: 'members', type: 'jsonb' },
    { name: 'network', type: 'jsonb' },
    { name: 'case_team', type: 'jsonb' },
    { name: 'consents', type: 'jsonb' },
    { name: 'registered_at', type: 'timestamptz' },
    { name: 'stream_version', type: 'bigint' },
    { name: 'address', type: 'text' },
  ],
  conflict: ['family_id'],
  update: [
    'team_id',
    'municipality',
    'members',
    'network',
    'case_team',
    'consents',
    'registered_at',
    'stream_version',
    'address',
  ],
};

const COLUMNS = VIEWS.columns.map((c) => c.name).join(', ');

/** One batch of the runner (from `prepare` to `flush`): rows as stored, and as folded since. */
interface PendingBatch {
  readonly stored: Map<string, FamilyViewRow | undefined>;
  readonly folded: Map<string, FamilyViewRow>;
}

const familyIdOf = (event: RecordedEvent) => (event.data as { familyId?: unknown }).familyId;

/**
 * Keeps family_views: one row per family with its members, network, case team and consents.
 * Within a batch of the runner the rows are read with one statement in `prepare`, folded in
 * memory (family-view.fold.ts) and written with one in `flush`, where a statement per event
 * rewrote a family's lists once per event; an `apply` outside a batch reads and writes its row.
 */
@Injectable()
export class FamilyProjection implements Projection {
  readonly name = 'families';
  readonly tables = ['family_views'];
  readonly eventTypes = FAMILY_EVENT_TYPES;
  // Keyed by the transaction's manager: a rolled-back batch leaves nothing behind.
  private readonly batches = new WeakMap<EntityManager, PendingBatch>();

  async prepare(events: readonly RecordedEvent[], manager: EntityManager): Promise<void> {
    // An id that is no uuid is left to `apply`, which fails on its own event (a failed
    // statement here would abort the transaction and blame the batch's first event).
    const ids = [...new Set(events.map(familyIdOf))].filter(
      (id): id is string => typeof id === 'string' && UUID.test(id),
    );
    const rows: FamilyViewRow[] = await manager.query(
      `SELECT ${COLUMNS} FROM family_views WHERE family_id = ANY($1::uuid[])`,
      [ids],
    );
    const stored = new Map<string, FamilyViewRow | undefined>(ids.map((id) => [id, undefined]));
    for (const row of rows) stored.set(row.family_id, row);
    this.batches.set(manager, { stored, folded: new Map() });
  }

  async apply(recorded: RecordedEvent, manager: EntityManager): Promise<void> {
    const id = familyIdOf(recorded) as string;
    const batch = this.batches.get(manager);
    const before =
      batch?.folded.get(id) ??
      (batch?.stored.has(id) ? batch.stored.get(id) : await this.read(id, manager));
    const after = foldFamilyView(before, recorded);
    if (!after) return;
    if (batch) batch.folded.set(id, after);
    else await upsertRows(manager, VIEWS, [after]);
  }

  async flush(manager: EntityManager): Promise<void> {
    const batch = this.batches.get(manager);
    if (!batch) return;
    this.batches.delete(manager);
    await upsertRows(manager, VIEWS, [...batch.folded.values()]);
  }

  private async read(id: string, manager: EntityManager): Promise<FamilyViewRow | undefined> {
    const rows: FamilyViewRow[] = await manager.query(
      `SELECT ${COLUMNS} FROM family_views WHERE family_id = $1`,
      [id],
    );
    return rows[0];
  }
}
