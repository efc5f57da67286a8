import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { RecordedEvent } from '../../libs/event-store/event-envelope.js';
import { upsertRows, type BulkUpsert } from '../../libs/projections/bulk-write.js';
import type { Projection } from '../../libs/projections/projection.js';
import { PLAN_EVENT_TYPES, type PlanEvent } from './plan.events.js';
import { evolvePlan } from './plan.evolve.js';
import type { Plan } from './plan.model.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const familyIdOf = (streamId: string) => streamId.slice('gezinsplan-'.length);

interface VersionRow {
  planId: string;
  version: number;
  familyId: string;
  status: string;
  agreedAt: string | null | undefined;
  document: Plan;
}

const VIEWS: BulkUpsert = {
  table: 'plan_views',
  columns: [
    { name: 'family_id', type: 'uuid' },
    { name: 'plan_id', type: 'uuid' },
    { name: 'status', type: 'text' },
    { name: 'document', type: 'jsonb' },
    { name: 'stream_version', type: 'bigint' },
  ],
  conflict: ['family_id'],
  update: ['plan_id', 'status', 'document', 'stream_version'],
};

// Once agreed, a version's row is not overwritten: it is what the parties signed.
const VERSIONS: BulkUpsert = {
  table: 'plan_versions',
  columns: [
    { name: 'plan_id', type: 'uuid' },
    { name: 'version', type: 'integer' },
    { name: 'family_id', type: 'uuid' },
    { name: 'status', type: 'text' },
    { name: 'agreed_at', type: 'timestamptz' },
    { name: 'document', type: 'jsonb' },
  ],
  conflict: ['plan_id', 'version'],
  update: ['status', 'agreed_at', 'document'],
  updateWhere: "plan_versions.status <> 'agreed'",
};

/** What one batch (one transaction) has folded and not yet written. */
interface PendingBatch {
  /** Plans as stored before the batch (undefined: none yet), loaded by `prepare`. */
  stored: Map<string, Plan | undefined>;
  views: Map<string, { plan: Plan; streamVersion: number }>;
  versions: Map<string, VersionRow>;
}

/**
 * Folds plan events with the aggregate's own pure `evolvePlan`, so the view cannot disagree with
 * the rules. plan_views holds each family's current (or last) plan; plan_versions keeps every
 * version: a draft follows the plan, an agreed version is frozen at the moment of agreement.
 *
 * A plan document holds the whole plan (goals, actions, notes), so writing it per event made a
 * rebuild rewrite every document once per event (B2: 330 events/s). Within a batch the documents
 * stay in memory and are written once, in `flush`, in the batch's transaction, with one
 * statement per thousand rows.
 */
@Injectable()
export class PlanProjection implements Projection {
  readonly name = 'plans';
  readonly tables = ['plan_views', 'plan_versions'];
  readonly eventTypes = PLAN_EVENT_TYPES;
  // Keyed by the transaction's manager: a rolled-back batch leaves nothing behind.
  private readonly batches = new WeakMap<EntityManager, PendingBatch>();

  async apply(recorded: RecordedEvent, manager: EntityManager): Promise<void> {
    const batch = this.batchOf(manager);
    const event = recorded as unknown as RecordedEvent & PlanEvent;
    const familyId = familyIdOf(recorded.streamId);
    const current =
      batch.views.get(familyId)?.plan ??
      (batch.stored.has(familyId)
        ? batch.stored.get(familyId)
        : await this.stored(familyId, manager));
    const plan = evolvePlan({ plan: current }, event).plan;
    if (!plan) return;
    batch.views.set(familyId, { plan, streamVersion: recorded.streamVersion });

    const version = plan.versions.find((v) => v.version === plan.version)!;
    const frozen = plan.status === 'agreed' && event.type !== 'gezinsplan.PlanAgreed';
    if (frozen) return;
    const key = `${plan.planId}:${plan.version}`;
    // As the upsert below: once agreed, a version's row is not overwritten.
    if (batch.versions.get(key)?.status === 'agreed') return;
    batch.versions.set(key, {
      planId: plan.planId,
      version: plan.version,
      familyId,
      status: version.status,
      agreedAt: version.agreedAt,
      document: plan,
    });
  }

  /** Loads the stored plan of every family of the batch with one statement. */
  async prepare(events: readonly RecordedEvent[], manager: EntityManager): Promise<void> {
    const batch = this.batchOf(manager);
    // A stream id that is no family id is left to `apply`, which fails on its own event (a
    // failed statement here would abort the transaction and blame the batch's first event).
    const families = [...new Set(events.map((e) => familyIdOf(e.streamId)))].filter((id) =>
      UUID.test(id),
    );
    const rows: Array<{ family_id: string; document: Plan }> = await manager.query(
      'SELECT family_id, document FROM plan_views WHERE family_id = ANY($1::uuid[])',
      [families],
    );
    for (const family of families) batch.stored.set(family, undefined);
    for (const row of rows) batch.stored.set(row.family_id, row.document);
  }

  async flush(manager: EntityManager): Promise<void> {
    const batch = this.batches.get(manager);
    if (!batch) return;
    this.batches.delete(manager);
    await upsertRows(
      manager,
      VIEWS,
      [...batch.views].map(([familyId, { plan, streamVersion }]) => ({
        family_id: familyId,
        plan_id: plan.planId,
        status: plan.status,
        document: plan,
        stream_version: streamVersion,
      })),
    );
    await upsertRows(
      manager,
      VERSIONS,
      [...batch.versions.values()].map((row) => ({
        plan_id: row.planId,
        version: row.version,
        family_id: row.familyId,
        status: row.status,
        agreed_at: row.agreedAt,
        document: row.document,
      })),
    );
  }

  private batchOf(manager: EntityManager): PendingBatch {
    let batch = this.batches.get(manager);
    if (!batch) {
      batch = { stored: new Map(), views: new Map(), versions: new Map() };
      this.batches.set(manager, batch);
    }
    return batch;
  }

  private async stored(familyId: string, manager: EntityManager): Promise<Plan | undefined> {
    const rows: Array<{ document: Plan }> = await manager.query(
      'SELECT document FROM plan_views WHERE family_id = $1',
      [familyId],
    );
    return rows[0]?.document;
  }
}
