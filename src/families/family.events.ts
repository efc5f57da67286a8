import type { DomainEvent } from '#libs/aggregates/event-sourced-aggregate.js';
import type { EventsOf, ReadableAs } from '#libs/event-store/event-view.js';
import type { Sealed } from '#libs/personal-data/sealed.js';
import type { SealedFieldsOf } from '#libs/personal-data/sealed-fields.js';
import type { FamilyEventView } from '../privacy/privacy-facts.fold.js';
import type { Address } from './address.js';

export type MemberRole = 'parent' | 'child' | 'other';

/** A member's personal data as registered (the family view opens it). */
export interface MemberPersonal {
  readonly givenName: string;
  readonly familyName: string;
  readonly dateOfBirth: string;
  readonly bsn?: string;
}

/** A network member's personal data. */
export interface NetworkPersonal {
  readonly name: string;
}

/**
 * The forms the personal data of family events take. Personal data is not always a text (a
 * member's is a record, an address two fields), so events are generic in these forms rather
 * than in a text: `decide` makes them with the plain forms (`PlainForms`), they are stored with
 * the sealed ones (the default); family.command.ts seals in between, each with its own key.
 */
export interface PersonalForms {
  readonly member: unknown;
  readonly network: unknown;
  readonly address: unknown;
  readonly reason: unknown;
}

/**
 * As stored. A member's personal data and departure reason are sealed with the member's own
 * key and a network member's with theirs (libs/personal-data): destroying that key erases
 * them from every event and read model. The address is sealed with the family's key.
 */
export interface SealedForms extends PersonalForms {
  readonly member: Sealed;
  readonly network: Sealed;
  readonly address: Sealed;
  readonly reason: Sealed;
}

/** As `decide` makes them: plaintext, not yet sealed. */
export interface PlainForms extends PersonalForms {
  readonly member: MemberPersonal;
  readonly network: NetworkPersonal;
  readonly address: Address;
  readonly reason: string;
}

export interface RegisteredMember<Forms extends PersonalForms = SealedForms> {
  readonly memberId: string;
  readonly role: MemberRole;
  readonly personal: Forms['member'];
}

export interface RegisteredNetworkMember<Forms extends PersonalForms = SealedForms> {
  readonly networkId: string;
  readonly relation: string;
  readonly personal: Forms['network'];
}

export type FamilyRegistered<Forms extends PersonalForms = SealedForms> = DomainEvent<
  'family.FamilyRegistered',
  {
    readonly familyId: string;
    readonly teamId: string;
    readonly members: readonly RegisteredMember<Forms>[];
    readonly network: readonly RegisteredNetworkMember<Forms>[];
    /** Where the household lives (address.ts); optional. */
    readonly address?: Forms['address'];
  }
>;

/** The household moved (or its address became known). */
export type AddressChanged<Forms extends PersonalForms = SealedForms> = DomainEvent<
  'family.AddressChanged',
  { readonly familyId: string; readonly address: Forms['address'] }
>;

export type ProfessionalJoinedCaseTeam = DomainEvent<
  'family.ProfessionalJoinedCaseTeam',
  {
    readonly familyId: string;
    readonly professionalId: string;
    readonly name: string;
    readonly organisation: string;
    readonly discipline: string;
    /** Life domains the professional works in: they read need_to_know items of those. */
    readonly lifeDomains?: readonly string[];
  }
>;

/** A member joined the household after registration (a birth, a new partner). */
export type MemberAdded<Forms extends PersonalForms = SealedForms> = DomainEvent<
  'family.MemberAdded',
  {
    readonly familyId: string;
    readonly memberId: string;
    readonly role: MemberRole;
    readonly personal: Forms['member'];
  }
>;

/**
 * A member left the household. They keep their history but get no new goals or actions.
 * The optional reason is free text that may name people, so it is sealed with the departing
 * member's key like the rest of their personal data.
 */
export type MemberDeparted<Forms extends PersonalForms = SealedForms> = DomainEvent<
  'family.MemberDeparted',
  {
    readonly familyId: string;
    readonly memberId: string;
    readonly reason?: Forms['reason'];
  }
>;

export type NetworkMemberAdded<Forms extends PersonalForms = SealedForms> = DomainEvent<
  'family.NetworkMemberAdded',
  {
    readonly familyId: string;
    readonly networkId: string;
    readonly relation: string;
    readonly personal: Forms['network'];
  }
>;

/**
 * Recorded by the system on a member's 18th birthday. The plan goes on unchanged (support runs
 * across 18-/18+); what changes is the member's own say over their data (privacy.md).
 */
export type MemberCameOfAge = DomainEvent<
  'family.MemberCameOfAge',
  { readonly familyId: string; readonly memberId: string }
>;

/** To whom a member's need_to_know items of one life domain are shown: an organisation or a member. */
export type ConsentGrantee = { readonly organisation: string } | { readonly memberId: string };

/** privacy.md, "Consent": granted per member, grantee, life domain and purpose, optionally until a date. */
export type ConsentGranted = DomainEvent<
  'family.ConsentGranted',
  {
    readonly familyId: string;
    readonly consentId: string;
    readonly memberId: string;
    readonly grantee: ConsentGrantee;
    readonly lifeDomain: string;
    readonly purpose: string;
    readonly until: string | null;
    readonly grantedAt: string;
  }
>;

/** Withdrawal takes effect at once in every view. */
export type ConsentWithdrawn = DomainEvent<
  'family.ConsentWithdrawn',
  {
    readonly familyId: string;
    readonly consentId: string;
    readonly memberId: string;
    readonly withdrawnAt: string;
  }
>;

export type FamilyEvent<Forms extends PersonalForms = SealedForms> =
  | FamilyRegistered<Forms>
  | ProfessionalJoinedCaseTeam
  | MemberAdded<Forms>
  | MemberDeparted<Forms>
  | NetworkMemberAdded<Forms>
  | MemberCameOfAge
  | ConsentGranted
  | ConsentWithdrawn
  | AddressChanged<Forms>;

/** A family event as `decide` makes it: its personal data still plain. */
export type DecidedFamilyEvent = FamilyEvent<PlainForms>;

export const FAMILY_EVENT_TYPES = [
  'family.FamilyRegistered',
  'family.ProfessionalJoinedCaseTeam',
  'family.MemberAdded',
  'family.MemberDeparted',
  'family.NetworkMemberAdded',
  'family.MemberCameOfAge',
  'family.ConsentGranted',
  'family.ConsentWithdrawn',
  'family.AddressChanged',
] as const satisfies readonly FamilyEvent['type'][];

/** What of each stored family event is sealed: the audit hides exactly these (checked by type). */
export const FAMILY_SEALED_FIELDS: SealedFieldsOf<FamilyEvent> = {
  'family.FamilyRegistered': {
    'members[].personal': true,
    'network[].personal': true,
    address: true,
  },
  'family.ProfessionalJoinedCaseTeam': {},
  'family.MemberAdded': { personal: true },
  'family.MemberDeparted': { reason: true },
  'family.NetworkMemberAdded': { personal: true },
  'family.MemberCameOfAge': {},
  'family.ConsentGranted': {},
  'family.ConsentWithdrawn': {},
  'family.AddressChanged': { address: true },
};

/** The privacy lens folds these through its own view of them (privacy-facts.fold.ts). */
export type ReadByThePrivacyLens = ReadableAs<
  EventsOf<FamilyEvent, FamilyEventView>,
  FamilyEventView
>;
