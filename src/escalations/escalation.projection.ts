import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { RecordedEvent } from '#libs/event-store/event-envelope.js';
import { upsertRows, type BulkUpsert } from '#libs/projections/bulk-write.js';
import type { Projection } from '#libs/projections/projection.js';
import { ESCALATION_EVENT_TYPES, type EscalationEvent } from './escalation.events.js';
import { evolveEscalation } from './escalation.evolve.js';
import type { Escalation } from './escalation.model.js';

export interface HistoryEntry {
  readonly at: string;
  readonly event: string;
  readonly level: number;
  readonly actor: RecordedEvent['metadata']['actor'];
  readonly onBehalfOf?: string;
  /** What the step said; sealed texts stay sealed here and are opened for the reader. */
  readonly details: Record<string, unknown>;
}

/** The open deadline that matters now: the level's first duty, then its resolution. */
export function currentDueAt(e: Escalation): string | null {
  if (e.status !== 'open') return null;
  if (!e.respondedAt) return e.deadlines.respondBy;
  if (e.level === 2 && e.decision) return null;
  return e.deadlines.resolveBy;
}

function details(event: EscalationEvent): Record<string, unknown> {
  const { escalationId: _, ...data } = event.data as Record<string, unknown>;
  switch (event.type) {
    case 'escalation.SignalRaised':
      return {
        category: event.data.category,
        automatic: event.data.automatic,
        cause: event.data.cause,
      };
    case 'escalation.DecisionTaken':
      return {
        maatwerk: event.data.maatwerk,
        budgetEuros: event.data.budgetEuros,
        directives: event.data.directives.length,
      };
    default:
      return data;
  }
}

interface Folded {
  readonly document: Escalation;
  readonly history: HistoryEntry[];
}

/** One batch of the runner (from `prepare` to `flush`): rows as stored, and as folded since. */
interface PendingBatch {
  readonly stored: Map<string, Folded | undefined>;
  readonly folded: Map<string, Folded>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const VIEWS: BulkUpsert = {
  table: 'escalation_views',
  columns: [
    { name: 'escalation_id', type: 'uuid' },
    { name: 'family_id', type: 'uuid' },
    { name: 'team_id', type: 'uuid' },
    { name: 'level', type: 'integer' },
    { name: 'status', type: 'text' },
    { name: 'holder_id', type: 'text' },
    { name: 'involved', type: 'text[]' },
    { name: 'directive_orgs', type: 'text[]' },
    { name: 'due_at', type: 'timestamptz' },
    { name: 'raised_at', type: 'timestamptz' },
    { name: 'document', type: 'jsonb' },
    { name: 'history', type: 'jsonb' },
  ],
  conflict: ['escalation_id'],
  update: [
    'level',
    'status',
    'holder_id',
    'involved',
    'directive_orgs',
    'due_at',
    'document',
    'history',
  ],
};

const row = ({ document: e, history }: Folded) => ({
  escalation_id: e.escalationId,
  family_id: e.familyId,
  team_id: e.teamId,
  level: e.level,
  status: e.status,
  holder_id: e.holder?.professionalId ?? null,
  involved: e.involved,
  directive_orgs: [...new Set(e.decision?.directives.map((d) => d.organisation) ?? [])],
  due_at: currentDueAt(e),
  raised_at: e.raisedAt,
  document: e,
  history,
});

/**
 * Folds escalation events with the aggregate's own `evolveEscalation` into escalation_views,
 * with the columns that scope and filter the views (holder, involved, level, due) and the
 * history of every step: who did what, when, at which level. Within a batch of the runner the
 * rows are read with one statement in `prepare`, folded in memory and written with one in
 * `flush`; an `apply` outside a batch reads and writes its row at once.
 */
@Injectable()
export class EscalationProjection implements Projection {
  readonly name = 'escalations';
  readonly tables = ['escalation_views'];
  readonly eventTypes = ESCALATION_EVENT_TYPES;
  // Keyed by the transaction's manager: a rolled-back batch leaves nothing behind.
  private readonly batches = new WeakMap<EntityManager, PendingBatch>();

  async prepare(events: readonly RecordedEvent[], manager: EntityManager): Promise<void> {
    // An id that is no uuid is left to `apply`, which fails on its own event (a failed
    // statement here would abort the transaction and blame the batch's first event).
    const ids = [
      ...new Set(events.map((e) => (e.data as { escalationId?: unknown }).escalationId)),
    ].filter((id): id is string => typeof id === 'string' && UUID.test(id));
    const rows: Array<{ escalation_id: string } & Folded> = await manager.query(
      'SELECT escalation_id, document, history FROM escalation_views WHERE escalation_id = ANY($1::uuid[])',
      [ids],
    );
    const stored = new Map<string, Folded | undefined>(ids.map((id) => [id, undefined]));
    for (const r of rows) stored.set(r.escalation_id, { document: r.document, history: r.history });
    this.batches.set(manager, { stored, folded: new Map() });
  }

  async apply(recorded: RecordedEvent, manager: EntityManager): Promise<void> {
    const event = recorded as unknown as RecordedEvent & EscalationEvent;
    const id = event.data.escalationId;
    const batch = this.batches.get(manager);
    const before =
      batch?.folded.get(id) ??
      (batch?.stored.has(id) ? batch.stored.get(id) : await this.read(id, manager));
    const e = evolveEscalation({ escalation: before?.document }, event).escalation;
    if (!e) return;
    const entry: HistoryEntry = {
      at: recorded.metadata.occurredAt,
      event: event.type.slice('escalation.'.length),
      level: e.level,
      actor: recorded.metadata.actor,
      ...(recorded.metadata.onBehalfOf ? { onBehalfOf: recorded.metadata.onBehalfOf } : {}),
      details: details(event),
    };
    const folded = { document: e, history: [...(before?.history ?? []), entry] };
    if (batch) batch.folded.set(id, folded);
    else await upsertRows(manager, VIEWS, [row(folded)]);
  }

  async flush(manager: EntityManager): Promise<void> {
    const batch = this.batches.get(manager);
    if (!batch) return;
    this.batches.delete(manager);
    await upsertRows(manager, VIEWS, [...batch.folded.values()].map(row));
  }

  private async read(id: string, manager: EntityManager): Promise<Folded | undefined> {
    const rows: Folded[] = await manager.query(
      'SELECT document, history FROM escalation_views WHERE escalation_id = $1',
      [id],
    );
    return rows[0];
  }
}
