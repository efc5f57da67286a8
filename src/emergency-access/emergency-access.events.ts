import type { DomainEvent } from '../../libs/aggregates/event-sourced-aggregate.js';
import type { EventsOf, ReadableAs } from '../../libs/event-store/event-view.js';
import type { EmergencyGrantView } from '../privacy/privacy-facts.fold.js';

/** How the professional named the person they were looking for (never stored in plaintext). */
export type EmergencySubjectKind = 'bsn' | 'address';

/**
 * Break the glass (api.md, "Emergency access"): a professional of an SLT team reads, for a few
 * hours, the families found for a subject they are not on the case of. Stream
 * `emergency-access-<accessId>`. The reason and the subject are free text about people, sealed
 * with a key of the access itself (subject id = accessId).
 */
export type EmergencyAccessGranted = DomainEvent<
  'emergency.AccessGranted',
  {
    readonly accessId: string;
    readonly userId: string;
    readonly name: string;
    readonly organisation: string;
    readonly subjectKind: EmergencySubjectKind;
    /** Sealed: what was searched for. */
    readonly subject: string;
    /** Sealed: why (at least 20 characters). */
    readonly reason: string;
    /** What the search found; empty is an answer too. */
    readonly familyIds: readonly string[];
    readonly grantedAt: string;
    readonly until: string;
  }
>;

/** The privacy officer's review: was breaking the glass justified? Once per access. */
export type EmergencyAccessReviewed = DomainEvent<
  'emergency.AccessReviewed',
  {
    readonly accessId: string;
    readonly justified: boolean;
    /** Sealed with the access's key. */
    readonly note: string;
    readonly reviewedBy: string;
    readonly reviewedAt: string;
  }
>;

export type EmergencyAccessEvent = EmergencyAccessGranted | EmergencyAccessReviewed;

export const EMERGENCY_ACCESS_EVENT_TYPES = [
  'emergency.AccessGranted',
  'emergency.AccessReviewed',
] as const satisfies readonly EmergencyAccessEvent['type'][];

/** The privacy lens folds these through its own view of them (privacy-facts.fold.ts). */
export type ReadByThePrivacyLens = ReadableAs<EventsOf<EmergencyAccessEvent, EmergencyGrantView>, EmergencyGrantView>;
