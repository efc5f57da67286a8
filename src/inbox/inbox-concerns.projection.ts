import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { RecordedEvent } from '#libs/event-store/event-envelope.js';
import type { Projection } from '#libs/projections/projection.js';

/**
 * The concern events the inbox folds, as a consumer's view of concerns/concern.events.ts (type
 * names and these payload fields are the published contract; the inbox sits above concerns).
 */
export type InboxConcernEvent =
  | {
      type: 'concern.ConcernReceived';
      data: { concernId: string; category: string; teamId: string };
    }
  | { type: 'concern.TriageOverdue'; data: { concernId: string; at: string } }
  | {
      type: 'concern.OutreachStalled';
      data: { concernId: string; reason: 'not_reached' | 'declined_safety'; at: string };
    }
  | {
      type:
        | 'concern.ConcernTakenUp'
        | 'concern.ConcernDismissed'
        | 'concern.ConcernClosed'
        | 'concern.ConcernReopened';
      data: { concernId: string };
    }
  | { type: 'concern.ConcernLinked'; data: { concernId: string; familyId: string; at: string } }
  | {
      type: 'concern.FamilyRegisteredFromConcern';
      data: { concernId: string; familyId: string; at: string };
    }
  | { type: 'concern.ConcernDestroyed'; data: { concernId: string } };

export const INBOX_CONCERN_EVENT_TYPES = [
  'concern.ConcernReceived',
  'concern.TriageOverdue',
  'concern.OutreachStalled',
  'concern.ConcernTakenUp',
  'concern.ConcernDismissed',
  'concern.ConcernClosed',
  'concern.ConcernReopened',
  'concern.ConcernLinked',
  'concern.FamilyRegisteredFromConcern',
  'concern.ConcernDestroyed',
] as const satisfies readonly InboxConcernEvent['type'][];

/**
 * inbox_concerns: every concern's category from its arrival (a later link does not carry it),
 * and the family it belongs to once linked or registered, so a case on a regisseur's desk lists
 * its concerns by category and date, never by content; and the alert a team lead must act on
 * (a missed triage deadline, stalled outreach) until the concern moves on. A destroyed
 * concern's row goes.
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
          `INSERT INTO inbox_concerns (concern_id, category, team_id) VALUES ($1, $2, $3)
           ON CONFLICT (concern_id) DO NOTHING`,
          [event.data.concernId, event.data.category, event.data.teamId],
        );
        return;
      case 'concern.TriageOverdue':
        return alert(manager, event.data.concernId, 'triage_overdue', event.data.at);
      case 'concern.OutreachStalled':
        return alert(manager, event.data.concernId, `outreach_${event.data.reason}`, event.data.at);
      case 'concern.ConcernTakenUp':
      case 'concern.ConcernDismissed':
      case 'concern.ConcernClosed':
      case 'concern.ConcernReopened':
        return alert(manager, event.data.concernId, null, null);
      case 'concern.ConcernLinked':
      case 'concern.FamilyRegisteredFromConcern':
        // A concern that reached a family needs no decision of the team lead any more.
        await manager.query(
          `UPDATE inbox_concerns SET family_id = $2, linked_at = $3, alert = NULL,
             alert_since = NULL WHERE concern_id = $1`,
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

/** Sets (or with null clears) the concern's open alert for its team lead. */
async function alert(
  manager: EntityManager,
  concernId: string,
  kind: string | null,
  since: string | null,
): Promise<void> {
  await manager.query(
    'UPDATE inbox_concerns SET alert = $2, alert_since = $3 WHERE concern_id = $1',
    [concernId, kind, since],
  );
}
