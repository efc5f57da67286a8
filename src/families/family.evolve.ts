import type { ConsentGranted, FamilyEvent, MemberRole, RegisteredMember } from './family.events.js';
import type { CaseTeamProfessional } from '../kernel/professionals.js';

export type MemberStatus = 'current' | 'departed';

export interface FamilyMember {
  readonly memberId: string;
  readonly role: MemberRole;
  readonly status: MemberStatus;
  /** Sealed with the member's key (see family.events.ts). */
  readonly personal: string;
  /** MemberCameOfAge was recorded (absent for members who were adults when registered). */
  readonly cameOfAge?: true;
}

export type Consent = Omit<ConsentGranted['data'], 'familyId'> & { readonly withdrawn: boolean };

export interface FamilyState {
  readonly registered: boolean;
  readonly teamId?: string;
  /** Every member the family ever had, departed ones included: history is kept. */
  readonly members: readonly FamilyMember[];
  readonly networkIds: readonly string[];
  readonly caseTeam: readonly CaseTeamProfessional[];
  /** Absent in snapshots of version 3 and before: read through `consentsOf`. */
  readonly consents?: readonly Consent[];
  /**
   * Sealed (address.ts); absent while unknown. Older snapshots lack it rightly: they were taken
   * before any address was recorded, so the snapshot version stays.
   */
  readonly address?: string;
}

export const INITIAL_FAMILY_STATE: FamilyState = Object.freeze({
  registered: false,
  members: [],
  networkIds: [],
  caseTeam: [],
  consents: [],
});

export const consentsOf = (state: FamilyState): readonly Consent[] => state.consents ?? [];

/** Members who still belong to the household: only they may get new goals or actions. */
export function currentMembers(state: FamilyState): readonly FamilyMember[] {
  return state.members.filter((m) => m.status === 'current');
}

export function findMember(state: FamilyState, memberId: string): FamilyMember | undefined {
  return state.members.find((m) => m.memberId === memberId);
}

export function isOnCaseTeam(state: FamilyState, professionalId: string): boolean {
  return state.caseTeam.some((p) => p.professionalId === professionalId);
}

const currentMember = ({ memberId, role, personal }: RegisteredMember): FamilyMember => ({
  memberId,
  role,
  status: 'current',
  personal,
});

/** Pure fold of a family's events: the decider's evolve, and the audit's as-of views. */
export function evolveFamily(state: FamilyState, event: FamilyEvent): FamilyState {
  switch (event.type) {
    case 'family.FamilyRegistered':
      return {
        registered: true,
        teamId: event.data.teamId,
        members: event.data.members.map(currentMember),
        networkIds: event.data.network.map((n) => n.networkId),
        caseTeam: state.caseTeam,
        consents: consentsOf(state),
        ...(event.data.address === undefined ? {} : { address: event.data.address }),
      };
    case 'family.AddressChanged':
      return { ...state, address: event.data.address };
    case 'family.ProfessionalJoinedCaseTeam': {
      const { familyId: _, ...professional } = event.data;
      return { ...state, caseTeam: [...state.caseTeam, professional] };
    }
    case 'family.ConsentGranted': {
      const { familyId: _, ...consent } = event.data;
      return { ...state, consents: [...consentsOf(state), { ...consent, withdrawn: false }] };
    }
    case 'family.ConsentWithdrawn':
      return {
        ...state,
        consents: consentsOf(state).map((c) =>
          c.consentId === event.data.consentId ? { ...c, withdrawn: true } : c,
        ),
      };
    case 'family.MemberAdded':
      return { ...state, members: [...state.members, currentMember(event.data)] };
    case 'family.MemberDeparted':
      return {
        ...state,
        members: state.members.map((m) =>
          m.memberId === event.data.memberId ? { ...m, status: 'departed' } : m,
        ),
      };
    case 'family.NetworkMemberAdded':
      return { ...state, networkIds: [...state.networkIds, event.data.networkId] };
    case 'family.MemberCameOfAge':
      return {
        ...state,
        members: state.members.map((m) =>
          m.memberId === event.data.memberId ? { ...m, cameOfAge: true } : m,
        ),
      };
  }
}
