import { Injectable } from '@nestjs/common';
import type { RecordedEvent } from '#libs/event-store/event-envelope.js';
import {
  recipient,
  type NewNotification,
  type NotificationRule,
} from '#libs/notifications/notification.js';
import { POOL_ROLE } from './escalation-access.js';
import type { EscalationEvent } from './escalation.events.js';
import type { Level } from './escalation.model.js';

/** The holder when there is one; otherwise those who must pick the level up. */
function holderOr(holderId: string | null, level: Level, teamId?: string): string[] {
  if (holderId) return [recipient.user(holderId)];
  const pool = POOL_ROLE[level];
  if (pool) return [recipient.role(pool)];
  return teamId ? [recipient.teamLead(teamId)] : [];
}

/**
 * Who hears of each step of the ladder (issue 4, "Notifications"). Titles carry categories,
 * levels and dates only: the outbox outlives erasure, so no names or free texts go in.
 */
@Injectable()
export class EscalationNotificationRule implements NotificationRule {
  readonly eventTypes = [
    'escalation.SignalRaised',
    'escalation.Escalated',
    'escalation.HolderAppointed',
    'escalation.DecisionTaken',
    'escalation.DirectiveOverdue',
    'escalation.DeadlineMissed',
  ];

  notificationsFor(recorded: RecordedEvent): NewNotification[] {
    const event = recorded as unknown as RecordedEvent & EscalationEvent;
    const escalationId = event.data.escalationId;
    const to = (recipients: string[], kind: string, title: string, familyId?: string) =>
      recipients.map((r) => ({
        recipient: r,
        kind,
        title,
        escalationId,
        ...(familyId ? { familyId } : {}),
      }));
    switch (event.type) {
      case 'escalation.SignalRaised': {
        const { holder, category, teamId, familyId, automatic } = event.data;
        const by = automatic ? 'door het systeem' : 'door het casusteam';
        return to(
          holderOr(holder?.professionalId ?? null, 0, teamId),
          'signal_raised',
          `Stagnatiesignaal (${category}) ${by} gemeld op uw casus`,
          familyId,
        );
      }
      case 'escalation.Escalated': {
        const { toLevel, holder, automatic } = event.data;
        const how = automatic ? 'automatisch, termijn verstreken' : 'handmatig';
        return to(
          holderOr(holder?.professionalId ?? null, toLevel),
          'escalation_reached',
          `Escalatie bereikt niveau ${toLevel} (${how})`,
        );
      }
      case 'escalation.HolderAppointed':
        return to(
          [recipient.user(event.data.holder.professionalId)],
          'appointed',
          `U bent aangewezen op niveau ${event.data.level} van een escalatie`,
        );
      case 'escalation.DecisionTaken': {
        const orgs = [...new Set(event.data.directives.map((d) => d.organisation))];
        return to(
          orgs.map(recipient.org),
          'decision',
          `Brandpuntbesluit (${event.data.maatwerk}) met een opdracht voor uw organisatie`,
        );
      }
      case 'escalation.DirectiveOverdue':
        return to(
          holderOr(event.data.holderId, 2),
          'directive_overdue',
          `Opdracht aan ${event.data.organisation} is over de termijn (${event.data.dueDate})`,
        );
      case 'escalation.DeadlineMissed':
        return to(
          holderOr(event.data.holderId, event.data.level),
          'deadline_missed',
          `Termijn op niveau ${event.data.level} verstreken (${event.data.dueAt.slice(0, 10)})`,
        );
      default:
        return [];
    }
  }
}
