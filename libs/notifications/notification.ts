import type { AuthUser } from '../auth/auth-user.js';
import type { RecordedEvent } from '../event-store/event-envelope.js';

/**
 * One message for one recipient. `title` is shown as is and lands in a table that outlives
 * erasure requests, so it must hold no personal data (names, free texts); ids are fine.
 */
export interface NewNotification {
  /** `user:<sub>`, `role:<role>`, `team-lead:<teamId>` or `org:<organisation name>`. */
  recipient: string;
  /** Also the SSE `event:` name, e.g. `signal_raised`. */
  kind: string;
  title: string;
  familyId?: string;
  escalationId?: string;
}

/** Contributed by a capability: who hears about an event. Must depend on the event only. */
export interface NotificationRule {
  readonly eventTypes: readonly string[];
  notificationsFor(event: RecordedEvent): Promise<NewNotification[]> | NewNotification[];
}

export const NOTIFICATION_RULES = Symbol('NOTIFICATION_RULES');

export const recipient = {
  user: (sub: string) => `user:${sub}`,
  role: (role: string) => `role:${role}`,
  teamLead: (teamId: string) => `team-lead:${teamId}`,
  org: (organisation: string) => `org:${organisation}`,
};

const RECIPIENT = /^(user|role|team-lead|org):\S.*$/;

export function isRecipient(text: string): boolean {
  return RECIPIENT.test(text);
}

/** Every recipient string a user answers to; a team lead hears only for their own teams. */
export function recipientsOf(user: AuthUser): string[] {
  const all = [recipient.user(user.sub), ...user.roles.map(recipient.role)];
  if (user.roles.includes('team_lead')) all.push(...user.teams.map(recipient.teamLead));
  if (user.organisation) all.push(recipient.org(user.organisation));
  return [...new Set(all)];
}
