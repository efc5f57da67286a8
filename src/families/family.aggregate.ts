import {
  EventSourcedAggregate,
  type AggregateType,
} from '../../libs/aggregates/event-sourced-aggregate.js';
import {
  DomainConflict,
  DomainNotFound,
  DomainRuleViolation,
} from '../../libs/aggregates/domain-errors.js';
import type {
  ConsentGranted,
  FamilyEvent,
  MemberRole,
  RegisteredMember,
  RegisteredNetworkMember,
} from './family.events.js';
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

/** Pure fold of a family's events; shared by the aggregate and its tests. */
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

export class Family extends EventSourcedAggregate<FamilyState, FamilyEvent> {
  protected initialState(): FamilyState {
    return INITIAL_FAMILY_STATE;
  }

  protected evolve(state: FamilyState, event: FamilyEvent): FamilyState {
    return evolveFamily(state, event);
  }

  register(
    teamId: string,
    members: readonly RegisteredMember[],
    network: readonly RegisteredNetworkMember[],
    registeredBy: CaseTeamProfessional,
    address?: string,
  ): void {
    if (this.state.registered) throw new DomainConflict(`Family ${this.id} is already registered`);
    if (members.length === 0) {
      throw new DomainRuleViolation('A family has at least one member', 'members');
    }
    this.apply({
      type: 'family.FamilyRegistered',
      data: {
        familyId: this.id,
        teamId,
        members,
        network,
        ...(address === undefined ? {} : { address }),
      },
    });
    this.joinCaseTeam(registeredBy);
  }

  joinCaseTeam(professional: CaseTeamProfessional): void {
    if (isOnCaseTeam(this.state, professional.professionalId)) {
      throw new DomainConflict(`${professional.name} is already on the case team`);
    }
    const { professionalId, name, organisation, discipline, lifeDomains } = professional;
    this.apply({
      type: 'family.ProfessionalJoinedCaseTeam',
      data: {
        familyId: this.id,
        professionalId,
        name,
        organisation,
        discipline,
        ...(lifeDomains?.length ? { lifeDomains } : {}),
      },
    });
  }

  addMember(member: RegisteredMember): void {
    this.assertRegistered();
    if (findMember(this.state, member.memberId)) {
      throw new DomainConflict(`Member ${member.memberId} is already part of this family`);
    }
    const { memberId, role, personal } = member;
    this.apply({
      type: 'family.MemberAdded',
      data: { familyId: this.id, memberId, role, personal },
    });
  }

  /** `reason` is sealed with the member's key by the caller (it is free text about a person). */
  recordDeparture(memberId: string, reason?: string): void {
    this.assertRegistered();
    const member = findMember(this.state, memberId);
    if (!member) {
      throw new DomainRuleViolation(`Member ${memberId} is not part of this family`, 'memberId');
    }
    if (member.status === 'departed') {
      throw new DomainConflict(`Member ${memberId} has already left the family`);
    }
    this.apply({
      type: 'family.MemberDeparted',
      data: { familyId: this.id, memberId, ...(reason === undefined ? {} : { reason }) },
    });
  }

  addNetworkMember(networkMember: RegisteredNetworkMember): void {
    this.assertRegistered();
    if (this.state.networkIds.includes(networkMember.networkId)) {
      throw new DomainConflict(`Network member ${networkMember.networkId} is already registered`);
    }
    const { networkId, relation, personal } = networkMember;
    this.apply({
      type: 'family.NetworkMemberAdded',
      data: { familyId: this.id, networkId, relation, personal },
    });
  }

  /** `address` is sealed with the family's key by the caller. */
  changeAddress(address: string): void {
    this.assertRegistered();
    this.apply({ type: 'family.AddressChanged', data: { familyId: this.id, address } });
  }

  /**
   * Records a current member's 18th birthday once. Called by a timer, which may fire late or
   * twice: `age` is their age today by the clock, and anything already recorded is left alone.
   */
  recordComingOfAge(memberId: string, age: number): boolean {
    const member = findMember(this.state, memberId);
    if (!member || member.status !== 'current' || member.cameOfAge || age < 18) return false;
    this.apply({ type: 'family.MemberCameOfAge', data: { familyId: this.id, memberId } });
    return true;
  }

  /** A current member shares one life domain's need_to_know items with one grantee. */
  grantConsent(consent: Omit<ConsentGranted['data'], 'familyId'>): void {
    this.assertRegistered();
    const member = findMember(this.state, consent.memberId);
    if (!member) throw new DomainRuleViolation('No such member in this family', 'memberId');
    if (member.status !== 'current') {
      throw new DomainRuleViolation(
        'A member who left the family grants no new consent',
        'memberId',
      );
    }
    if ('memberId' in consent.grantee) {
      const grantee = findMember(this.state, consent.grantee.memberId);
      if (!grantee || grantee.memberId === member.memberId) {
        throw new DomainRuleViolation(
          'The grantee must be another member of this family',
          'memberId',
        );
      }
    }
    if (consent.until !== null && consent.until < consent.grantedAt.slice(0, 10)) {
      throw new DomainRuleViolation('A consent cannot end before it starts', 'until');
    }
    this.apply({ type: 'family.ConsentGranted', data: { familyId: this.id, ...consent } });
  }

  withdrawConsent(memberId: string, consentId: string, withdrawnAt: string): void {
    const consent = consentsOf(this.state).find(
      (c) => c.consentId === consentId && c.memberId === memberId,
    );
    if (!consent) throw new DomainNotFound('No such consent of this member');
    if (consent.withdrawn) throw new DomainConflict('This consent was already withdrawn');
    this.apply({
      type: 'family.ConsentWithdrawn',
      data: { familyId: this.id, consentId, memberId, withdrawnAt },
    });
  }

  private assertRegistered(): void {
    if (!this.state.registered) throw new DomainConflict(`Family ${this.id} is not registered`);
  }
}

export const FamilyType: AggregateType<Family> = {
  category: 'family',
  // 2: members with role and status, and the case team's professionals instead of their ids.
  // 3: members record cameOfAge. 4: consents, and case-team life domains.
  snapshotVersion: 4,
  create: (id) => new Family(id),
};
