import type { DomainEvent } from '#libs/aggregates/event-sourced-aggregate.js';
import type { EventsOf, ReadableAs } from '#libs/event-store/event-view.js';
import type { FamilyEventView } from '../privacy/privacy-facts.fold.js';

export type MemberRole = 'parent' | 'child' | 'other';

/**
 * Personal data (names, date of birth, BSN) travels sealed with the member's own key
 * (libs/personal-data): destroying that key erases it from every event and read model.
 */
export interface RegisteredMember {
  readonly memberId: string;
  readonly role: MemberRole;
  readonly personal: string;
}

export interface RegisteredNetworkMember {
  readonly networkId: string;
  readonly relation: string;
  readonly personal: string;
}

export type FamilyRegistered = DomainEvent<
  'family.FamilyRegistered',
  {
    readonly familyId: string;
    readonly teamId: string;
    readonly members: readonly RegisteredMember[];
    readonly network: readonly RegisteredNetworkMember[];
    /** Where the household lives (address.ts), sealed with the family's key; optional. */
    readonly address?: string;
  }
>;

/** The household moved (or its address became known): sealed with the family's key. */
export type AddressChanged = DomainEvent<
  'family.AddressChanged',
  { readonly familyId: string; readonly address: string }
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
export type MemberAdded = DomainEvent<
  'family.MemberAdded',
  {
    readonly familyId: string;
    readonly memberId: string;
    readonly role: MemberRole;
    readonly personal: string;
  }
>;

/**
 * A member left the household. They keep their history but get no new goals or actions.
 * The optional reason is free text that may name people, so it is sealed with the departing
 * member's key like the rest of their personal data.
 */
export type MemberDeparted = DomainEvent<
  'family.MemberDeparted',
  {
    readonly familyId: string;
    readonly memberId: string;
    readonly reason?: string;
  }
>;

export type NetworkMemberAdded = DomainEvent<
  'family.NetworkMemberAdded',
  {
    readonly familyId: string;
    readonly networkId: string;
    readonly relation: string;
    readonly personal: string;
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

export type FamilyEvent =
  | FamilyRegistered
  | ProfessionalJoinedCaseTeam
  | MemberAdded
  | MemberDeparted
  | NetworkMemberAdded
  | MemberCameOfAge
  | ConsentGranted
  | ConsentWithdrawn
  | AddressChanged;

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

/** The privacy lens folds these through its own view of them (privacy-facts.fold.ts). */
export type ReadByThePrivacyLens = ReadableAs<
  EventsOf<FamilyEvent, FamilyEventView>,
  FamilyEventView
>;
