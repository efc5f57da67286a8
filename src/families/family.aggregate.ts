import {
  EventSourcedAggregate,
  type AggregateType,
} from '../../libs/aggregates/event-sourced-aggregate.js';
import { DomainConflict, DomainRuleViolation } from '../../libs/aggregates/domain-errors.js';
import type { FamilyEvent, RegisteredMember, RegisteredNetworkMember } from './family.events.js';

export interface FamilyState {
  readonly registered: boolean;
  readonly teamId?: string;
  readonly memberIds: readonly string[];
  readonly networkIds: readonly string[];
  readonly caseTeam: readonly string[];
}

export interface CaseTeamProfessional {
  readonly professionalId: string;
  readonly name: string;
  readonly organisation: string;
  readonly discipline: string;
}

/** Pure fold of a family's events; shared by the aggregate and its tests. */
export function evolveFamily(state: FamilyState, event: FamilyEvent): FamilyState {
  switch (event.type) {
    case 'family.FamilyRegistered':
      return {
        registered: true,
        teamId: event.data.teamId,
        memberIds: event.data.members.map((m) => m.memberId),
        networkIds: event.data.network.map((n) => n.networkId),
        caseTeam: state.caseTeam,
      };
    case 'family.ProfessionalJoinedCaseTeam':
      return { ...state, caseTeam: [...state.caseTeam, event.data.professionalId] };
  }
}

export class Family extends EventSourcedAggregate<FamilyState, FamilyEvent> {
  protected initialState(): FamilyState {
    return { registered: false, memberIds: [], networkIds: [], caseTeam: [] };
  }

  protected evolve(state: FamilyState, event: FamilyEvent): FamilyState {
    return evolveFamily(state, event);
  }

  register(
    teamId: string,
    members: readonly RegisteredMember[],
    network: readonly RegisteredNetworkMember[],
    registeredBy: CaseTeamProfessional,
  ): void {
    if (this.state.registered) throw new DomainConflict(`Family ${this.id} is already registered`);
    if (members.length === 0) {
      throw new DomainRuleViolation('A family has at least one member', 'members');
    }
    this.apply({
      type: 'family.FamilyRegistered',
      data: { familyId: this.id, teamId, members, network },
    });
    this.joinCaseTeam(registeredBy);
  }

  joinCaseTeam(professional: CaseTeamProfessional): void {
    if (this.state.caseTeam.includes(professional.professionalId)) {
      throw new DomainConflict(`${professional.name} is already on the case team`);
    }
    this.apply({
      type: 'family.ProfessionalJoinedCaseTeam',
      data: { familyId: this.id, ...professional },
    });
  }
}

export const FamilyType: AggregateType<Family> = {
  category: 'family',
  snapshotVersion: 1,
  create: (id) => new Family(id),
};
