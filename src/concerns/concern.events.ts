import type { DomainEvent } from '#libs/aggregates/event-sourced-aggregate.js';
import type { Sealed } from '#libs/personal-data/sealed.js';
import type { SealedFieldsOf } from '#libs/personal-data/sealed-fields.js';
import type {
  ConcernActor,
  ConcernCategory,
  ConcernSubject,
  ContactKind,
  ContactOutcome,
  Urgency,
} from './concern.model.js';

/**
 * Events that carry personal data are generic in it: open (plaintext) as `decide` makes them,
 * sealed as they are stored. Everything personal of a concern is sealed with the concern's own
 * key (its id), so shredding that key destroys the concern.
 */
export type Form = 'open' | 'sealed';
type Personal<Value, F extends Form> = F extends 'sealed' ? Sealed : Value;

type ConcernEventOf<Name extends string, Data> = DomainEvent<
  `concern.${Name}`,
  Data & { concernId: string }
>;

export type ConcernReceived<F extends Form = 'sealed'> = ConcernEventOf<
  'ConcernReceived',
  {
    /** The team whose wijk holds the subject's postcode area. */
    teamId: string;
    reporter: ConcernActor;
    /** Who the front desk files for ("a neighbour"); a description, not an identity. */
    onBehalfOf?: Personal<string, F>;
    subject: Personal<ConcernSubject, F>;
    category: ConcernCategory;
    urgency: Urgency;
    description: Personal<string, F>;
    receivedAt: string;
    triageDueAt: string;
  }
>;
export type ConcernTakenUp = ConcernEventOf<'ConcernTakenUp', { by: ConcernActor; at: string }>;
export type ConcernLinked = ConcernEventOf<
  'ConcernLinked',
  {
    familyId: string;
    memberId: string | null;
    /** The family's casusregisseur when it was linked: told at once (inbox, notifications). */
    casusregisseurId: string | null;
    by: ConcernActor;
    at: string;
  }
>;
export type MatchRejected = ConcernEventOf<
  'MatchRejected',
  { familyId: string; by: ConcernActor; at: string }
>;
export type FamilyRegisteredFromConcern = ConcernEventOf<
  'FamilyRegisteredFromConcern',
  { familyId: string; memberIds: string[]; by: ConcernActor; at: string }
>;
export type ContactAttemptRecorded<F extends Form = 'sealed'> = ConcernEventOf<
  'ContactAttemptRecorded',
  {
    attemptId: string;
    kind: ContactKind;
    outcome: ContactOutcome;
    note?: Personal<string, F>;
    by: ConcernActor;
    at: string;
  }
>;
/** The team lead must decide the next step (too many attempts failed, or a safety concern declined). */
export type OutreachStalled = ConcernEventOf<
  'OutreachStalled',
  { teamId: string; reason: 'not_reached' | 'declined_safety'; at: string }
>;
/** The subject declined contact: the concern closes (a safety concern stays open, see OutreachStalled). */
export type ConcernClosed = ConcernEventOf<'ConcernClosed', { reason: 'declined'; at: string }>;
export type ConcernDismissed<F extends Form = 'sealed'> = ConcernEventOf<
  'ConcernDismissed',
  { reason: Personal<string, F>; by: ConcernActor; at: string }
>;
export type ConcernReopened<F extends Form = 'sealed'> = ConcernEventOf<
  'ConcernReopened',
  { reason: Personal<string, F>; by: ConcernActor; at: string }
>;
/** Nobody took the concern up in time: its team lead is alerted, once. */
export type TriageOverdue = ConcernEventOf<
  'TriageOverdue',
  { teamId: string; dueAt: string; at: string }
>;
/**
 * Intake judged that the subject may see this safety concern: until then it is withheld from
 * their inzage (GET /me/data) and from their access log, so as not to endanger anyone.
 */
export type SafetyRestrictionLifted = ConcernEventOf<
  'SafetyRestrictionLifted',
  { by: ConcernActor; at: string }
>;
/**
 * The concern's key is shredded: nothing personal of it can be read any more. `retention`: it
 * closed long enough ago without reaching a family; `erasure`: the member or family it was
 * linked to was erased.
 */
export type ConcernDestroyed = ConcernEventOf<
  'ConcernDestroyed',
  { cause: 'retention' | 'erasure'; at: string }
>;

export type ConcernEvent<F extends Form = 'sealed'> =
  | ConcernReceived<F>
  | ConcernTakenUp
  | ConcernLinked
  | MatchRejected
  | FamilyRegisteredFromConcern
  | ContactAttemptRecorded<F>
  | OutreachStalled
  | ConcernClosed
  | ConcernDismissed<F>
  | ConcernReopened<F>
  | TriageOverdue
  | SafetyRestrictionLifted
  | ConcernDestroyed;

export const CONCERN_EVENT_TYPES = [
  'concern.ConcernReceived',
  'concern.ConcernTakenUp',
  'concern.ConcernLinked',
  'concern.MatchRejected',
  'concern.FamilyRegisteredFromConcern',
  'concern.ContactAttemptRecorded',
  'concern.OutreachStalled',
  'concern.ConcernClosed',
  'concern.ConcernDismissed',
  'concern.ConcernReopened',
  'concern.TriageOverdue',
  'concern.SafetyRestrictionLifted',
  'concern.ConcernDestroyed',
] as const satisfies readonly ConcernEvent['type'][];

/** What of each stored concern event is sealed: the audit hides exactly these (checked by type). */
export const CONCERN_SEALED_FIELDS: SealedFieldsOf<ConcernEvent> = {
  'concern.ConcernReceived': { onBehalfOf: true, subject: true, description: true },
  'concern.ConcernTakenUp': {},
  'concern.ConcernLinked': {},
  'concern.MatchRejected': {},
  'concern.FamilyRegisteredFromConcern': {},
  'concern.ContactAttemptRecorded': { note: true },
  'concern.OutreachStalled': {},
  'concern.ConcernClosed': {},
  'concern.ConcernDismissed': { reason: true },
  'concern.ConcernReopened': { reason: true },
  'concern.TriageOverdue': {},
  'concern.SafetyRestrictionLifted': {},
  'concern.ConcernDestroyed': {},
};
