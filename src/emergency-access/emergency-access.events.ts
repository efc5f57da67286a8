import type { DomainEvent } from '#libs/aggregates/event-sourced-aggregate.js';
import type { EventsOf, ReadableAs } from '#libs/event-store/event-view.js';
import type { Sealed } from '#libs/personal-data/sealed.js';
import type { Address } from '../families/address.js';
import type { EmergencyGrantView } from '../privacy/privacy-facts.fold.js';

/** How the professional named the person they were looking for (never stored in plaintext). */
export type EmergencySubjectKind = 'bsn' | 'address';

/** Whom the professional looked for, as they named them: a BSN, or a normalised address. */
export type EmergencySubject = { readonly bsn: string } | Address;

/**
 * Break the glass (api.md, "Emergency access"): a professional of an SLT team reads, for a few
 * hours, the families found for a subject they are not on the case of. Stream
 * `emergency-access-<accessId>`. The reason and the subject are free text about people, sealed
 * with a key of the access itself (subject id = accessId). Generic in them: plaintext as `decide`
 * makes the event, Sealed as it is stored (sealEmergencyAccessEvent seals them in between).
 */
export type EmergencyAccessGranted<
  Text extends string = Sealed,
  Subject extends EmergencySubject | Sealed = Sealed,
> = DomainEvent<
  'emergency.AccessGranted',
  {
    readonly accessId: string;
    readonly userId: string;
    readonly name: string;
    readonly organisation: string;
    readonly subjectKind: EmergencySubjectKind;
    /** Sealed: what was searched for. */
    readonly subject: Subject;
    /** Sealed: why (at least 20 characters). */
    readonly reason: Text;
    /** What the search found; empty is an answer too. */
    readonly familyIds: readonly string[];
    readonly grantedAt: string;
    readonly until: string;
  }
>;

/** The privacy officer's review: was breaking the glass justified? Once per access. */
export type EmergencyAccessReviewed<Text extends string = Sealed> = DomainEvent<
  'emergency.AccessReviewed',
  {
    readonly accessId: string;
    readonly justified: boolean;
    /** Sealed with the access's key. */
    readonly note: Text;
    readonly reviewedBy: string;
    readonly reviewedAt: string;
  }
>;

export type EmergencyAccessEvent = EmergencyAccessGranted | EmergencyAccessReviewed;

/** An emergency access event as `decide` makes it: what it seals still plaintext. */
export type DecidedEmergencyAccessEvent =
  EmergencyAccessGranted<string, EmergencySubject> | EmergencyAccessReviewed<string>;

export const EMERGENCY_ACCESS_EVENT_TYPES = [
  'emergency.AccessGranted',
  'emergency.AccessReviewed',
] as const satisfies readonly EmergencyAccessEvent['type'][];

/** The privacy lens folds these through its own view of them (privacy-facts.fold.ts). */
export type ReadByThePrivacyLens = ReadableAs<
  EventsOf<EmergencyAccessEvent, EmergencyGrantView>,
  EmergencyGrantView
>;
