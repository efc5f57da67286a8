import type { EntityManager } from 'typeorm';
import type { RecordedEvent } from '../event-store/event-envelope.js';
import { formatPosition } from '../event-store/position.js';
import { upsertRows, type BulkUpsert } from '../projections/bulk-write.js';
import type { Projection } from '../projections/projection.js';
import { isRecipient, type NewNotification, type NotificationRule } from './notification.js';

// The kind becomes the SSE `event:` line, so a newline in it would break the stream.
const KIND = /^[a-z][a-z0-9_.-]*$/;

const NOTIFICATIONS: BulkUpsert = {
  table: 'notifications',
  columns: [
    { name: 'notification_id', type: 'text' },
    { name: 'event_id', type: 'text' },
    { name: 'recipient', type: 'text' },
    { name: 'kind', type: 'text' },
    { name: 'title', type: 'text' },
    { name: 'family_id', type: 'text' },
    { name: 'escalation_id', type: 'text' },
    { name: 'event_type', type: 'text' },
    { name: 'position', type: 'text' },
    { name: 'commit_pos', type: 'bigint' },
    { name: 'prepare_pos', type: 'bigint' },
    { name: 'idx', type: 'integer' },
    { name: 'created_at', type: 'timestamptz' },
  ],
  conflict: ['notification_id'],
};

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

  // Keyed by the transaction's manager: a rolled-back batch leaves nothing behind.
  private readonly batches = new WeakMap<EntityManager, Record<string, unknown>[]>();

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
    // Within a batch of the runner (from `prepare` to `flush`) the rows are written together;
    // an `apply` outside a batch writes its own at once, as before.
    const batch = this.batches.get(manager);
    const rows = batch ?? [];
    for (const [idx, n] of notifications.entries()) {
      // A rule bug should stop this projection loudly rather than address nobody.
      if (!isRecipient(n.recipient)) throw new Error(`Invalid recipient ${n.recipient}`);
      if (!KIND.test(n.kind)) throw new Error(`Invalid notification kind ${n.kind}`);
      rows.push({
        notification_id: `${event.metadata.eventId}:${idx}`,
        event_id: event.metadata.eventId,
        recipient: n.recipient,
        kind: n.kind,
        title: n.title,
        family_id: n.familyId ?? null,
        escalation_id: n.escalationId ?? null,
        event_type: event.type,
        position: formatPosition(event.position),
        commit_pos: event.position.commit.toString(),
        prepare_pos: event.position.prepare.toString(),
        idx,
        created_at: event.metadata.occurredAt,
      });
    }
    if (!batch) await upsertRows(manager, NOTIFICATIONS, rows);
  }

  async prepare(_events: readonly RecordedEvent[], manager: EntityManager): Promise<void> {
    this.batches.set(manager, []);
  }

  /** The batch's notifications, written together (one statement per thousand). */
  async flush(manager: EntityManager): Promise<void> {
    const rows = this.batches.get(manager);
    if (!rows) return;
    this.batches.delete(manager);
    await upsertRows(manager, NOTIFICATIONS, rows);
  }
}
