import type { Sealed } from '#libs/personal-data/sealed.js';
import type { ConcernEvent } from './concern.events.js';
import type {
  ConcernActor,
  ConcernCategory,
  ConcernStatus,
  ContactKind,
  ContactOutcome,
  Urgency,
} from './concern.model.js';

export interface ContactAttempt {
  readonly attemptId: string;
  readonly kind: ContactKind;
  readonly outcome: ContactOutcome;
  readonly note: Sealed | null;
  readonly by: ConcernActor;
  readonly at: string;
}

export interface Concern {
  readonly concernId: string;
  readonly teamId: string;
  readonly reporter: ConcernActor;
  readonly onBehalfOf: Sealed | null;
  /** Null once the concern was destroyed, as are the other sealed texts. */
  readonly subject: Sealed | null;
  readonly category: ConcernCategory;
  readonly urgency: Urgency;
  readonly description: Sealed | null;
  readonly receivedAt: string;
  readonly triageDueAt: string;
  readonly status: ConcernStatus;
  /** Who took it up: the reporter's contact person until a family's casusregisseur is. */
  readonly contact: ConcernActor | null;
  readonly familyId: string | null;
  readonly memberId: string | null;
  /** Families intake said the subject is not part of: never proposed again. */
  readonly rejectedFamilies: readonly string[];
  readonly attempts: readonly ContactAttempt[];
  readonly triageOverdue: boolean;
  readonly outreachStalled: boolean;
  /** When it was dismissed or closed; null while it is open. */
  readonly closedAt: string | null;
  readonly reopened: boolean;
  /** Linked to or registered as a family at some point: kept with the family, never shredded alone. */
  readonly everLinked: boolean;
  /**
   * A safety concern is withheld from its subject until intake lifts that. Absent in states
   * folded before the event existed, which were never lifted: read as false.
   */
  readonly safetyRestrictionLifted?: boolean;
}

export interface ConcernState {
  readonly concern: Concern | null;
}

export const INITIAL_CONCERN_STATE: ConcernState = Object.freeze({ concern: null });

/** Pure fold of a concern's events; the one fold of the decider, projections and audit. */
export function evolveConcern(state: ConcernState, event: ConcernEvent): ConcernState {
  if (event.type === 'concern.ConcernReceived') {
    const { data } = event;
    return {
      concern: {
        concernId: data.concernId,
        teamId: data.teamId,
        reporter: data.reporter,
        onBehalfOf: data.onBehalfOf ?? null,
        subject: data.subject,
        category: data.category,
        urgency: data.urgency,
        description: data.description,
        receivedAt: data.receivedAt,
        triageDueAt: data.triageDueAt,
        status: 'received',
        contact: null,
        familyId: null,
        memberId: null,
        rejectedFamilies: [],
        attempts: [],
        triageOverdue: false,
        outreachStalled: false,
        closedAt: null,
        reopened: false,
        everLinked: false,
      },
    };
  }
  const c = state.concern;
  if (!c) return state;
  const next = (change: Partial<Concern>): ConcernState => ({ concern: { ...c, ...change } });
  switch (event.type) {
    case 'concern.ConcernTakenUp':
      return next({ status: 'in_triage', contact: event.data.by });
    case 'concern.ConcernLinked':
      return next({
        status: 'linked',
        familyId: event.data.familyId,
        memberId: event.data.memberId,
        everLinked: true,
        contact: c.contact ?? event.data.by,
      });
    case 'concern.FamilyRegisteredFromConcern':
      return next({
        status: 'registered',
        familyId: event.data.familyId,
        memberId: event.data.memberIds[0] ?? null,
        everLinked: true,
        contact: c.contact ?? event.data.by,
      });
    case 'concern.MatchRejected':
      return next({ rejectedFamilies: [...c.rejectedFamilies, event.data.familyId] });
    case 'concern.ContactAttemptRecorded': {
      const { attemptId, kind, outcome, note, by, at } = event.data;
      return next({
        status: 'outreach',
        attempts: [...c.attempts, { attemptId, kind, outcome, note: note ?? null, by, at }],
      });
    }
    case 'concern.OutreachStalled':
      return next({ outreachStalled: true });
    case 'concern.ConcernClosed':
      return next({ status: 'closed', closedAt: event.data.at });
    case 'concern.ConcernDismissed':
      return next({ status: 'dismissed', closedAt: event.data.at });
    case 'concern.ConcernReopened':
      return next({ status: 'in_triage', closedAt: null, reopened: true });
    case 'concern.TriageOverdue':
      return next({ triageOverdue: true });
    case 'concern.SafetyRestrictionLifted':
      return next({ safetyRestrictionLifted: true });
    case 'concern.ConcernDestroyed':
      // Its key is gone: nothing sealed of it can be opened, so nothing sealed is kept.
      return next({
        status: 'destroyed',
        onBehalfOf: null,
        subject: null,
        description: null,
        attempts: c.attempts.map((a) => ({ ...a, note: null })),
      });
  }
}
