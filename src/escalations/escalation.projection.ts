import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { RecordedEvent } from '../../libs/event-store/event-envelope.js';
import type { Projection } from '../../libs/projections/projection.js';
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

/**
 * Folds escalation events with the aggregate's own `evolveEscalation` into escalation_views,
 * with the columns that scope and filter the views (holder, involved, level, due) and the
 * history of every step: who did what, when, at which level.
 */
@Injectable()
export class EscalationProjection implements Projection {
  readonly name = 'escalations';
  readonly tables = ['escalation_views'];
  readonly eventTypes = ESCALATION_EVENT_TYPES;

  async apply(recorded: RecordedEvent, manager: EntityManager): Promise<void> {
    const event = recorded as unknown as RecordedEvent & EscalationEvent;
    const rows: Array<{ document: Escalation; history: HistoryEntry[] }> = await manager.query(
      'SELECT document, history FROM escalation_views WHERE escalation_id = $1',
      [event.data.escalationId],
    );
    const e = evolveEscalation({ escalation: rows[0]?.document }, event).escalation;
    if (!e) return;
    const entry: HistoryEntry = {
      at: recorded.metadata.occurredAt,
      event: event.type.slice('escalation.'.length),
      level: e.level,
      actor: recorded.metadata.actor,
      ...(recorded.metadata.onBehalfOf ? { onBehalfOf: recorded.metadata.onBehalfOf } : {}),
      details: details(event),
    };
    await manager.query(
      `INSERT INTO escalation_views (escalation_id, family_id, team_id, level, status, holder_id,
         involved, directive_orgs, due_at, raised_at, document, history)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
       ON CONFLICT (escalation_id) DO UPDATE SET level = excluded.level, status = excluded.status,
         holder_id = excluded.holder_id, involved = excluded.involved,
         directive_orgs = excluded.directive_orgs, due_at = excluded.due_at,
         document = excluded.document, history = excluded.history`,
      [
        e.escalationId,
        e.familyId,
        e.teamId,
        e.level,
        e.status,
        e.holder?.professionalId ?? null,
        e.involved,
        [...new Set(e.decision?.directives.map((d) => d.organisation) ?? [])],
        currentDueAt(e),
        e.raisedAt,
        JSON.stringify(e),
        JSON.stringify([...(rows[0]?.history ?? []), entry]),
      ],
    );
  }
}
