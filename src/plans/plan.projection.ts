import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { RecordedEvent } from '#libs/event-store/event-envelope.js';
import { BatchState, isUuid } from '#libs/projections/batch-state.js';
import { upsertRows, type BulkUpsert } from '#libs/projections/bulk-write.js';
import type { Projection } from '#libs/projections/projection.js';
import { PLAN_EVENT_TYPES, type PlanEvent } from './plan.events.js';
import { evolvePlan } from './plan.evolve.js';
import type { Plan } from './plan.model.js';

const familyIdOf = (streamId: string) => streamId.slice('gezinsplan-'.length);

/** What plan_views and plan_versions store of a plan: its notes have rows of their own. */
export type PlanDocument = Omit<Plan, 'notes'>;

/** A plan as folded so far, without its notes; `noteCount` of them are written or pending. */
interface Folded {
  document: PlanDocument;
  noteCount: number;
}

interface VersionRow {
  planId: string;
  version: number;
  familyId: string;
  status: string;
  agreedAt: string | null | undefined;
  /** Null while a draft: the version is then the plan in plan_views. */
  document: PlanDocument | null;
  noteCount: number | null;
}

interface NoteRow {
  plan_id: string;
  seq: number;
  family_id: string;
  note_id: string;
  goal_id: string | null;
  text: string;
  confidentiality: string;
  evaluation: boolean;
  written_at: string;
  author_id: string;
}

const VIEWS: BulkUpsert = {
  table: 'plan_views',
  columns: [
    { name: 'family_id', type: 'uuid' },
    { name: 'plan_id', type: 'uuid' },
    { name: 'status', type: 'text' },
    { name: 'document', type: 'jsonb' },
    { name: 'stream_version', type: 'bigint' },
    { name: 'note_count', type: 'integer' },
  ],
  conflict: ['family_id'],
  update: ['plan_id', 'status', 'document', 'stream_version', 'note_count'],
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
    { name: 'note_count', type: 'integer' },
  ],
  conflict: ['plan_id', 'version'],
  update: ['status', 'agreed_at', 'document', 'note_count'],
  updateWhere: "plan_versions.status <> 'agreed'",
};

// A note is written once and never rewritten: a plain insert.
const NOTES: BulkUpsert = {
  table: 'plan_notes',
  columns: [
    { name: 'plan_id', type: 'uuid' },
    { name: 'seq', type: 'integer' },
    { name: 'family_id', type: 'uuid' },
    { name: 'note_id', type: 'uuid' },
    { name: 'goal_id', type: 'uuid' },
    { name: 'text', type: 'text' },
    { name: 'confidentiality', type: 'text' },
    { name: 'evaluation', type: 'boolean' },
    { name: 'written_at', type: 'timestamptz' },
    { name: 'author_id', type: 'text' },
  ],
};

/** What one batch (one transaction) has folded and not yet written. */
interface PendingBatch {
  /** Plans as stored before the batch (undefined: none yet), loaded by `prepare`. */
  stored: Map<string, Folded | undefined>;
  views: Map<string, Folded & { streamVersion: number }>;
  versions: Map<string, VersionRow>;
  notes: NoteRow[];
}

interface StoredRow {
  family_id: string;
  document: PlanDocument;
  note_count: number;
}

const foldedOf = (row: StoredRow): Folded => ({
  document: row.document,
  noteCount: row.note_count,
});

/**
 * Folds plan events with the aggregate's own pure `evolvePlan`, so the view cannot disagree with
 * the rules. plan_views holds each family's current (or last) plan; plan_versions keeps every
 * version: a draft follows the plan, an agreed version is frozen at the moment of agreement.
 *
 * Within a batch the documents stay in memory and are written once, in `flush`, in the batch's
 * transaction, with one statement per thousand rows. Progress notes grow without bound (one per
 * contact), so they are no part of the documents: each is inserted once into plan_notes, at its
 * position in the plan, and a document records how many notes it had (a version shows those).
 * The fold runs on the document with no notes, and what it appends are the event's new notes.
 */
@Injectable()
export class PlanProjection implements Projection {
  readonly name = 'plans';
  readonly tables = ['plan_views', 'plan_versions', 'plan_notes'];
  readonly eventTypes = PLAN_EVENT_TYPES;
  private readonly batches = new BatchState<PendingBatch>(() => ({
    stored: new Map(),
    views: new Map(),
    versions: new Map(),
    notes: [],
  }));

  async apply(recorded: RecordedEvent, manager: EntityManager): Promise<void> {
    const batch = this.batches.of(manager);
    const event = recorded as unknown as RecordedEvent & PlanEvent;
    const familyId = familyIdOf(recorded.streamId);
    const current =
      batch.views.get(familyId) ??
      (batch.stored.has(familyId)
        ? batch.stored.get(familyId)
        : await this.stored(familyId, manager));
    const folded = evolvePlan({ plan: current && { ...current.document, notes: [] } }, event).plan;
    if (!folded) return;
    const { notes, ...plan } = folded;
    // A new plan (after the last one closed) starts its notes at position 0.
    let noteCount = current?.document.planId === plan.planId ? current.noteCount : 0;
    for (const note of notes) {
      batch.notes.push({
        plan_id: plan.planId,
        seq: noteCount++,
        family_id: familyId,
        note_id: note.noteId,
        goal_id: note.goalId,
        text: note.text,
        confidentiality: note.confidentiality,
        evaluation: note.evaluation,
        written_at: note.writtenAt,
        author_id: note.authorId,
      });
    }
    batch.views.set(familyId, {
      document: plan,
      noteCount,
      streamVersion: recorded.streamVersion,
    });

    const version = plan.versions.find((v) => v.version === plan.version)!;
    const frozen = plan.status === 'agreed' && event.type !== 'gezinsplan.PlanAgreed';
    if (frozen) return;
    const key = `${plan.planId}:${plan.version}`;
    // As the upsert below: once agreed, a version's row is not overwritten.
    if (batch.versions.get(key)?.status === 'agreed') return;
    // A draft is the current version of the current plan, so its row would copy the document
    // of plan_views at every write; it gets its own at agreement or closure, where it freezes.
    const draft = version.status === 'draft';
    batch.versions.set(key, {
      planId: plan.planId,
      version: plan.version,
      familyId,
      status: version.status,
      agreedAt: version.agreedAt,
      document: draft ? null : plan,
      noteCount: draft ? null : noteCount,
    });
  }

  /** Loads the stored plan of every family of the batch with one statement. */
  async prepare(events: readonly RecordedEvent[], manager: EntityManager): Promise<void> {
    const batch = this.batches.of(manager);
    const families = [...new Set(events.map((e) => familyIdOf(e.streamId)))].filter(isUuid);
    const rows: StoredRow[] = await manager.query(
      `SELECT family_id, document, note_count FROM plan_views
        WHERE family_id = ANY($1::uuid[])`,
      [families],
    );
    for (const family of families) batch.stored.set(family, undefined);
    for (const row of rows) batch.stored.set(row.family_id, foldedOf(row));
  }

  async flush(manager: EntityManager): Promise<void> {
    const batch = this.batches.take(manager);
    if (!batch) return;
    await upsertRows(
      manager,
      VIEWS,
      [...batch.views].map(([familyId, { document, noteCount, streamVersion }]) => ({
        family_id: familyId,
        plan_id: document.planId,
        status: document.status,
        document,
        stream_version: streamVersion,
        note_count: noteCount,
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
        note_count: row.noteCount,
      })),
    );
    await upsertRows(manager, NOTES, batch.notes);
  }

  private async stored(familyId: string, manager: EntityManager): Promise<Folded | undefined> {
    const rows: StoredRow[] = await manager.query(
      'SELECT family_id, document, note_count FROM plan_views WHERE family_id = $1',
      [familyId],
    );
    return rows[0] && foldedOf(rows[0]);
  }
}
