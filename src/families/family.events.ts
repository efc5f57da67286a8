import type { DomainEvent } from '../../libs/aggregates/event-sourced-aggregate.js';

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
  }
>;

export type ProfessionalJoinedCaseTeam = DomainEvent<
  'family.ProfessionalJoinedCaseTeam',
  {
    readonly familyId: string;
    readonly professionalId: string;
    readonly name: string;
    readonly organisation: string;
    readonly discipline: string;
  }
>;

export type FamilyEvent = FamilyRegistered | ProfessionalJoinedCaseTeam;

export const FAMILY_EVENT_TYPES = [
  'family.FamilyRegistered',
  'family.ProfessionalJoinedCaseTeam',
] as const satisfies readonly FamilyEvent['type'][];
