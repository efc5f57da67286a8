import {
  DomainConflict,
  DomainNotFound,
  DomainRuleViolation,
} from '#libs/aggregates/domain-errors.js';
import type { Decider } from '#libs/deciders/decider.js';
import type { WorkingDayCalendar } from '#libs/working-days/working-day-calendar.js';
import type { ConcernEvent } from './concern.events.js';
import {
  evolveConcern,
  INITIAL_CONCERN_STATE,
  type Concern,
  type ConcernState,
} from './concern.evolve.js';
import type {
  ConcernActor,
  ConcernCategory,
  ConcernDeadlines,
  ConcernStatus,
  ConcernSubject,
  ContactKind,
  ContactOutcome,
  Urgency,
} from './concern.model.js';

export type ConcernCommand =
  | {
      readonly type: 'FileConcern';
      readonly concernId: string;
      readonly teamId: string;
      readonly reporter: ConcernActor;
      readonly onBehalfOf?: string;
      readonly subject: ConcernSubject;
      readonly category: ConcernCategory;
      readonly urgency: Urgency;
      readonly description: string;
    }
  | { readonly type: 'TakeUp'; readonly by: ConcernActor }
  | {
      readonly type: 'Link';
      readonly familyId: string;
      readonly memberId: string | null;
      readonly by: ConcernActor;
    }
  | { readonly type: 'RejectMatch'; readonly familyId: string; readonly by: ConcernActor }
  | {
      readonly type: 'RecordRegistration';
      readonly familyId: string;
      readonly memberIds: readonly string[];
      readonly by: ConcernActor;
    }
  | {
      readonly type: 'RecordContactAttempt';
      readonly attemptId: string;
      readonly kind: ContactKind;
      readonly outcome: ContactOutcome;
      readonly note?: string;
      readonly by: ConcernActor;
    }
  | { readonly type: 'Dismiss'; readonly reason: string; readonly by: ConcernActor }
  | { readonly type: 'Reopen'; readonly reason: string; readonly by: ConcernActor }
  /** Intake lets the subject see a safety concern (in /me/data and their access log). */
  | { readonly type: 'LiftSafetyRestriction'; readonly by: ConcernActor }
  /** A triage timer fired for this moment (it may fire late or twice). */
  | { readonly type: 'PassTriageDeadline'; readonly dueAt: string }
  /** The retention timer fired: a closed concern that never reached a family is destroyed. */
  | { readonly type: 'Destroy' }
  /** The member or family it was linked to was erased: it goes with them, whatever its status. */
  | { readonly type: 'Erase' };

/** What a decision needs besides the state: the moment, the calendar and the municipality's rules. */
export interface ConcernDecisionContext {
  readonly now: string;
  readonly calendar: WorkingDayCalendar;
  readonly deadlines: ConcernDeadlines;
  readonly retentionMonths: number;
  /** For a link: the family's casusregisseur now, known once access was checked. */
  readonly casusregisseurId?: string | null;
}

const OPEN: readonly ConcernStatus[] = ['received', 'in_triage', 'outreach'];
const WORKED: readonly ConcernStatus[] = ['in_triage', 'outreach'];

/** Pure: the events a command causes on a concern, or a domain error; [] for a timer with nothing to do. */
export function decideConcern(
  command: ConcernCommand,
  { concern }: ConcernState,
  context: ConcernDecisionContext,
): ConcernEvent<'open'>[] {
  const at = context.now;
  if (command.type === 'FileConcern') {
    if (concern) throw new DomainConflict(`Concern ${command.concernId} was already filed`);
    return [fileConcern(command, context)];
  }
  if (command.type === 'Erase') {
    if (!concern || concern.status === 'destroyed') return [];
    return [
      {
        type: 'concern.ConcernDestroyed',
        data: { concernId: concern.concernId, cause: 'erasure', at },
      },
    ];
  }
  if (!concern || concern.status === 'destroyed') throw new DomainNotFound('No such concern');
  const { concernId } = concern;
  const expect = (allowed: readonly ConcernStatus[], doing: string) => {
    if (!allowed.includes(concern.status)) {
      throw new DomainConflict(`A concern that is ${concern.status} cannot be ${doing}`);
    }
  };
  switch (command.type) {
    case 'TakeUp':
      if (concern.status === 'in_triage' && concern.contact) {
        throw new DomainConflict(`${concern.contact.name} already took this concern up`);
      }
      expect(['received'], 'taken up');
      return [{ type: 'concern.ConcernTakenUp', data: { concernId, by: command.by, at } }];
    case 'Link':
      expect(WORKED, 'linked (take it up first)');
      return [
        {
          type: 'concern.ConcernLinked',
          data: {
            concernId,
            familyId: command.familyId,
            memberId: command.memberId,
            casusregisseurId: context.casusregisseurId ?? null,
            by: command.by,
            at,
          },
        },
      ];
    case 'RejectMatch':
      expect(OPEN, 'given a match rejection');
      if (concern.rejectedFamilies.includes(command.familyId)) {
        throw new DomainConflict('This match was already rejected');
      }
      return [
        {
          type: 'concern.MatchRejected',
          data: { concernId, familyId: command.familyId, by: command.by, at },
        },
      ];
    case 'RecordRegistration':
      expect(WORKED, 'registered as a family (take it up first)');
      return [
        {
          type: 'concern.FamilyRegisteredFromConcern',
          data: {
            concernId,
            familyId: command.familyId,
            memberIds: [...command.memberIds],
            by: command.by,
            at,
          },
        },
      ];
    case 'RecordContactAttempt':
      expect(WORKED, 'given a contact attempt (take it up first)');
      return recordAttempt(concern, command, context);
    case 'Dismiss':
      expect(OPEN, 'dismissed');
      requireReason(command.reason);
      return [
        {
          type: 'concern.ConcernDismissed',
          data: { concernId, reason: command.reason, by: command.by, at },
        },
      ];
    case 'Reopen': {
      expect(['dismissed', 'closed'], 'reopened');
      requireReason(command.reason);
      if (concern.reopened) throw new DomainConflict('A concern is reopened only once');
      const days = (Date.parse(at) - Date.parse(concern.closedAt!)) / 86_400_000;
      if (days > context.deadlines.reopenWithinDays) {
        throw new DomainRuleViolation(
          `A concern can be reopened within ${context.deadlines.reopenWithinDays} days of closing`,
        );
      }
      return [
        {
          type: 'concern.ConcernReopened',
          data: { concernId, reason: command.reason, by: command.by, at },
        },
      ];
    }
    case 'LiftSafetyRestriction':
      if (concern.category !== 'safety') {
        throw new DomainRuleViolation(
          'Only a concern of category safety is withheld from its subject',
          'category',
        );
      }
      if (concern.safetyRestrictionLifted) {
        throw new DomainConflict('The safety restriction was already lifted');
      }
      return [{ type: 'concern.SafetyRestrictionLifted', data: { concernId, by: command.by, at } }];
    case 'PassTriageDeadline': {
      const due =
        concern.status === 'received' &&
        !concern.triageOverdue &&
        command.dueAt === concern.triageDueAt &&
        Date.parse(at) >= Date.parse(concern.triageDueAt);
      if (!due) return [];
      return [
        {
          type: 'concern.TriageOverdue',
          data: { concernId, teamId: concern.teamId, dueAt: concern.triageDueAt, at },
        },
      ];
    }
    case 'Destroy':
      return retentionExpired(concern, context)
        ? [{ type: 'concern.ConcernDestroyed', data: { concernId, cause: 'retention', at } }]
        : [];
  }
}

function fileConcern(
  command: Extract<ConcernCommand, { type: 'FileConcern' }>,
  { now, calendar, deadlines }: ConcernDecisionContext,
): ConcernEvent<'open'> {
  const { subject } = command;
  if (!subject.bsn && !(subject.familyName && subject.dateOfBirth)) {
    throw new DomainRuleViolation(
      'The subject needs a BSN, or a family name with a date of birth',
      'subject',
    );
  }
  if (command.description.trim() === '') {
    throw new DomainRuleViolation('A concern needs a description', 'description');
  }
  const triageDueAt = calendar.deadline(new Date(now), deadlines.triageDays[command.urgency]);
  return {
    type: 'concern.ConcernReceived',
    data: {
      concernId: command.concernId,
      teamId: command.teamId,
      reporter: command.reporter,
      ...(command.onBehalfOf === undefined ? {} : { onBehalfOf: command.onBehalfOf }),
      subject,
      category: command.category,
      urgency: command.urgency,
      description: command.description,
      receivedAt: now,
      triageDueAt: triageDueAt.toISOString(),
    },
  };
}

/**
 * A declined contact closes the concern, except a safety concern, which stays open for the team
 * lead; enough unanswered attempts within the window alert the team lead, once.
 */
function recordAttempt(
  concern: Concern,
  command: Extract<ConcernCommand, { type: 'RecordContactAttempt' }>,
  { now, calendar, deadlines }: ConcernDecisionContext,
): ConcernEvent<'open'>[] {
  const { concernId, teamId } = concern;
  const { attemptId, kind, outcome, note, by } = command;
  const events: ConcernEvent<'open'>[] = [
    {
      type: 'concern.ContactAttemptRecorded',
      data: {
        concernId,
        attemptId,
        kind,
        outcome,
        ...(note === undefined ? {} : { note }),
        by,
        at: now,
      },
    },
  ];
  if (outcome === 'declined') {
    events.push(
      concern.category === 'safety'
        ? {
            type: 'concern.OutreachStalled',
            data: { concernId, teamId, reason: 'declined_safety', at: now },
          }
        : { type: 'concern.ConcernClosed', data: { concernId, reason: 'declined', at: now } },
    );
    return events;
  }
  if (outcome === 'not_reached' && !concern.outreachStalled) {
    const today = now.slice(0, 10);
    const recent = [...concern.attempts, { outcome, at: now }].filter(
      (a) =>
        a.outcome === 'not_reached' &&
        calendar.workingDaysBetween(a.at.slice(0, 10), today) <= deadlines.outreachWithinDays,
    );
    if (recent.length >= deadlines.outreachAttempts) {
      events.push({
        type: 'concern.OutreachStalled',
        data: { concernId, teamId, reason: 'not_reached', at: now },
      });
    }
  }
  return events;
}

function requireReason(reason: string) {
  if (reason.trim() === '') throw new DomainRuleViolation('A reason is required', 'reason');
}

/** Closed for the retention period and never part of a family's file. */
function retentionExpired(concern: Concern, { now, retentionMonths }: ConcernDecisionContext) {
  if (concern.everLinked || concern.closedAt === null) return false;
  return Date.parse(now) >= retentionEnd(concern.closedAt, retentionMonths).getTime();
}

/** The moment a concern closed at `closedAt` may be destroyed. */
export function retentionEnd(closedAt: string, months: number): Date {
  const end = new Date(closedAt);
  end.setUTCMonth(end.getUTCMonth() + months);
  return end;
}

/** A concern: stream `concern-<concernId>`. */
export const concernDecider: Decider<
  ConcernState,
  ConcernCommand,
  ConcernEvent,
  ConcernEvent<'open'>,
  ConcernDecisionContext
> = {
  category: 'concern',
  snapshotVersion: 1,
  label: 'concern',
  initialState: INITIAL_CONCERN_STATE,
  evolve: evolveConcern,
  decide: decideConcern,
};
