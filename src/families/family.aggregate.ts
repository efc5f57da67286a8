import {
  EventSourcedAggregate,
  type AggregateType,
} from '#libs/aggregates/event-sourced-aggregate.js';
import type { CaseTeamProfessional } from '../kernel/professionals.js';
import { decideFamily, familyDecider, type FamilyCommand } from './family.decide.js';
import type { Sealed } from '#libs/personal-data/sealed.js';
import type {
  ConsentGranted,
  FamilyEvent,
  RegisteredMember,
  RegisteredNetworkMember,
  SealedForms,
} from './family.events.js';
import { evolveFamily, INITIAL_FAMILY_STATE, type FamilyState } from './family.evolve.js';

/**
 * A family in memory: state, version and the events not yet stored, over the pure decider
 * (family.decide.ts) and fold (family.evolve.ts). It earns its place where a history is built
 * in process (the benchmark's generator, int-specs), with personal data sealed beforehand, and
 * where erasure still loads a family through it. Commands go through family.command.ts.
 */
export class Family extends EventSourcedAggregate<FamilyState, FamilyEvent> {
  protected initialState(): FamilyState {
    return INITIAL_FAMILY_STATE;
  }

  protected evolve(state: FamilyState, event: FamilyEvent): FamilyState {
    return evolveFamily(state, event);
  }

  /** The events decided, applied; how many there were. */
  decide(command: FamilyCommand<SealedForms>): number {
    const events = decideFamily(command, this.state, { familyId: this.id });
    for (const event of events) this.apply(event);
    return events.length;
  }

  register(
    teamId: string,
    members: readonly RegisteredMember[],
    network: readonly RegisteredNetworkMember[],
    registeredBy: CaseTeamProfessional,
    address?: Sealed,
  ): void {
    this.decide({ type: 'RegisterFamily', teamId, members, network, registeredBy, address });
  }

  joinCaseTeam(professional: CaseTeamProfessional): void {
    this.decide({ type: 'JoinCaseTeam', professional });
  }

  addMember(member: RegisteredMember): void {
    this.decide({ type: 'AddMember', member });
  }

  /** `reason` is sealed with the member's key by the caller (it is free text about a person). */
  recordDeparture(memberId: string, reason?: Sealed): void {
    this.decide({ type: 'RecordDeparture', memberId, reason });
  }

  addNetworkMember(networkMember: RegisteredNetworkMember): void {
    this.decide({ type: 'AddNetworkMember', networkMember });
  }

  /** `address` is sealed with the family's key by the caller. */
  changeAddress(address: Sealed): void {
    this.decide({ type: 'ChangeAddress', address });
  }

  /** Records a current member's 18th birthday once; false when there was nothing to record. */
  recordComingOfAge(memberId: string, age: number): boolean {
    return this.decide({ type: 'RecordComingOfAge', memberId, age }) > 0;
  }

  grantConsent(consent: Omit<ConsentGranted['data'], 'familyId'>): void {
    this.decide({ type: 'GrantConsent', consent });
  }

  withdrawConsent(memberId: string, consentId: string, withdrawnAt: string): void {
    this.decide({ type: 'WithdrawConsent', memberId, consentId, withdrawnAt });
  }
}

export const FamilyType: AggregateType<Family> = {
  category: familyDecider.category,
  snapshotVersion: familyDecider.snapshotVersion,
  create: (id) => new Family(id),
};
