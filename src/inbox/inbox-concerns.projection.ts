import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { RecordedEvent } from '#libs/event-store/event-envelope.js';
import type { Projection } from '#libs/projections/projection.js';

/**
 * The concern events the inbox folds, as a consumer's view of concerns/concern.events.ts (type
 * names and these payload fields are the published contract; the inbox sits above concerns).
 */
export type InboxConcernEvent =
  | { type: 'concern.ConcernReceived'; data: { concernId: string; category: string } }
  | { type: 'concern.ConcernLinked'; data: { concernId: string; familyId: string; at: string } }
  | {
      type: 'concern.FamilyRegisteredFromConcern';
      data: { concernId: string; familyId: string; at: string };
    }
  | { type: 'concern.ConcernDestroyed'; data: { concernId: string } };

export const INBOX_CONCERN_EVENT_TYPES = [
  'concern.ConcernReceived',
  'concern.ConcernLinked',
  'concern.FamilyRegisteredFromConcern',
  'concern.ConcernDestroyed',
] as const satisfies readonly InboxConcernEvent['type'][];

/**
 * inbox_concerns: every concern's category from its arrival (a later link does not carry it),
 * and the family it belongs to once linked or registered, so a case on a regisseur's desk lists
 * its concerns by category and date, never by content. A destroyed concern's row goes.
 */
@Injectable()
export class InboxConcernsProjection implements Projection {
  readonly name = 'inbox-concerns';
  readonly tables = ['inbox_concerns'];
  readonly eventTypes = INBOX_CONCERN_EVENT_TYPES;

  async apply(recorded: RecordedEvent, manager: EntityManager): Promise<void> {
    const event = recorded as unknown as InboxConcernEvent;
    switch (event.type) {
      case 'concern.ConcernReceived':
        await manager.query(
          `INSERT INTO inbox_concerns (concern_id, category) VALUES ($1, $2)
           ON CONFLICT (concern_id) DO NOTHING`,
          [event.data.concernId, event.data.category],
        );
        return;
      case 'concern.ConcernLinked':
      case 'concern.FamilyRegisteredFromConcern':
        await manager.query(
          'UPDATE inbox_concerns SET family_id = $2, linked_at = $3 WHERE concern_id = $1',
          [event.data.concernId, event.data.familyId, event.data.at],
        );
        return;
      case 'concern.ConcernDestroyed':
        await manager.query('DELETE FROM inbox_concerns WHERE concern_id = $1', [
          event.data.concernId,
        ]);
        return;
    }
  }
}
