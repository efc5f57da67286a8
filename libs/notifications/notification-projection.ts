import type { EntityManager } from 'typeorm';
import type { RecordedEvent } from '../event-store/event-envelope.js';
import { formatPosition } from '../event-store/position.js';
import type { Projection } from '../projections/projection.js';
import { isRecipient, type NewNotification, type NotificationRule } from './notification.js';

// The kind becomes the SSE `event:` line, so a newline in it would break the stream.
const KIND = /^[a-z][a-z0-9_.-]*$/;

/**
 * The notification outbox: one row per notification a rule derives from an event. Ids and
 * order come from the event (its id and position, and the notification's index), and the
 * timestamp is when the event occurred, so a rebuild gives the same rows and clients can keep
 * resuming with the ids they already have.
 */
export class NotificationProjection implements Projection {
  readonly name = 'notifications';
  readonly tables = ['notifications'];
  readonly eventTypes: readonly string[];

  constructor(private readonly rules: readonly NotificationRule[]) {
    this.eventTypes = [...new Set(rules.flatMap((r) => r.eventTypes))];
  }

  async apply(event: RecordedEvent, manager: EntityManager): Promise<void> {
    const notifications: NewNotification[] = [];
    for (const rule of this.rules) {
      if (rule.eventTypes.includes(event.type)) {
        notifications.push(...(await rule.notificationsFor(event)));
      }
    }
    for (const [idx, n] of notifications.entries()) {
      // A rule bug should stop this projection loudly rather than address nobody.
      if (!isRecipient(n.recipient)) throw new Error(`Invalid recipient ${n.recipient}`);
      if (!KIND.test(n.kind)) throw new Error(`Invalid notification kind ${n.kind}`);
      await manager.query(
        `INSERT INTO notifications (notification_id, event_id, recipient, kind, title, family_id,
           escalation_id, event_type, position, commit_pos, prepare_pos, idx, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
         ON CONFLICT (notification_id) DO NOTHING`,
        [
          `${event.metadata.eventId}:${idx}`,
          event.metadata.eventId,
          n.recipient,
          n.kind,
          n.title,
          n.familyId ?? null,
          n.escalationId ?? null,
          event.type,
          formatPosition(event.position),
          event.position.commit.toString(),
          event.position.prepare.toString(),
          idx,
          event.metadata.occurredAt,
        ],
      );
    }
  }
}
