import { Inject, Injectable } from '@nestjs/common';
import { AggregateRepository } from '#libs/aggregates/aggregate-repository.js';
import type { RecordedEvent } from '#libs/event-store/event-envelope.js';
import {
  recipient,
  type NewNotification,
  type NotificationRule,
} from '#libs/notifications/notification.js';
import { concernDecider } from './concern.decide.js';
import type { ConcernEvent } from './concern.events.js';

/**
 * Who hears of a concern (concerns.md "Lifecycle", "Deadlines"): the casusregisseur of the
 * family it was linked to, and the team lead when triage or outreach is late or stuck. Titles
 * carry the category and dates only: the outbox outlives the concern's key, so no names, BSNs
 * or texts go in.
 */
@Injectable()
export class ConcernNotificationRule implements NotificationRule {
  readonly eventTypes = [
    'concern.ConcernLinked',
    'concern.TriageOverdue',
    'concern.OutreachStalled',
  ];

  constructor(@Inject(AggregateRepository) private readonly repository: AggregateRepository) {}

  async notificationsFor(recorded: RecordedEvent): Promise<NewNotification[]> {
    const event = recorded as unknown as RecordedEvent & ConcernEvent;
    const category = await this.categoryOf(event.data.concernId);
    switch (event.type) {
      case 'concern.ConcernLinked': {
        const { casusregisseurId, familyId, at } = event.data;
        // A family without a casusregisseur has nobody to tell yet; intake linked it knowingly.
        if (!casusregisseurId) return [];
        return [
          {
            recipient: recipient.user(casusregisseurId),
            kind: 'concern_linked',
            title: `Zorgsignaal (${category}) gekoppeld aan uw casus op ${at.slice(0, 10)}`,
            familyId,
          },
        ];
      }
      case 'concern.TriageOverdue':
        return [
          {
            recipient: recipient.teamLead(event.data.teamId),
            kind: 'concern_overdue',
            title: `Zorgsignaal (${category}) niet opgepakt binnen de termijn (${event.data.dueAt.slice(0, 10)})`,
          },
        ];
      case 'concern.OutreachStalled': {
        const why =
          event.data.reason === 'not_reached'
            ? 'herhaaldelijk niet bereikt'
            : 'contact geweigerd, veiligheid';
        return [
          {
            recipient: recipient.teamLead(event.data.teamId),
            kind: 'concern_outreach_stalled',
            title: `Outreach zorgsignaal (${category}) vastgelopen: ${why} (${event.data.at.slice(0, 10)})`,
          },
        ];
      }
      default:
        return [];
    }
  }

  /**
   * The category never changes after filing, so reading it from the concern's stream gives the
   * same title on a rebuild (the linking and alerting events do not carry it).
   */
  private async categoryOf(concernId: string): Promise<string> {
    const state = await this.repository.loadState(concernDecider, concernId);
    return state?.state.concern?.category ?? 'onbekend';
  }
}
