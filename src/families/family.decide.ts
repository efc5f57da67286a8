import {
  DomainConflict,
  DomainNotFound,
  DomainRuleViolation,
} from '#libs/aggregates/domain-errors.js';
import type { Decider } from '#libs/deciders/decider.js';
import type { CaseTeamProfessional } from '../kernel/professionals.js';
import type {
  ConsentGranted,
  DecidedFamilyEvent,
  FamilyEvent,
  PersonalForms,
  PlainForms,
  RegisteredMember,
  RegisteredNetworkMember,
} from './family.events.js';
import {
  consentsOf,
  evolveFamily,
  findMember,
  INITIAL_FAMILY_STATE,
  isOnCaseTeam,
  type FamilyState,
} from './family.evolve.js';

/**
 * Every command on a family's stream, the consent commands (src/consents) included. Personal
 * data comes plain (family.command.ts seals the decided events); the rules never read it, so
 * `decideFamily` passes it on in whatever form it is given (the Family wrapper's is sealed).
 */
export type FamilyCommand<Forms extends PersonalForms = PlainForms> =
  | {
      readonly type: 'RegisterFamily';
      readonly teamId: string;
      readonly members: readonly RegisteredMember<Forms>[];
      readonly network: readonly RegisteredNetworkMember<Forms>[];
      readonly registeredBy: CaseTeamProfessional;
      readonly address?: Forms['address'];
    }
  | { readonly type: 'JoinCaseTeam'; readonly professional: CaseTeamProfessional }
  | { readonly type: 'AddMember'; readonly member: RegisteredMember<Forms> }
  | {
      readonly type: 'RecordDeparture';
      readonly memberId: string;
      readonly reason?: Forms['reason'];
    }
  | { readonly type: 'AddNetworkMember'; readonly networkMember: RegisteredNetworkMember<Forms> }
  | { readonly type: 'ChangeAddress'; readonly address: Forms['address'] }
  /** `age` is the member's age today by the clock (the timer may fire late or twice). */
  | { readonly type: 'RecordComingOfAge'; readonly memberId: string; readonly age: number }
  | { readonly type: 'GrantConsent'; readonly consent: Omit<ConsentGranted['data'], 'familyId'> }
  | {
      readonly type: 'WithdrawConsent';
      readonly memberId: string;
      readonly consentId: string;
      readonly withdrawnAt: string;
    };

/** What a decision needs besides the state: the stream's family (events name it). */
export interface FamilyDecisionContext {
  readonly familyId: string;
}

/**
 * Pure: the events a command causes on a family, or a domain error. RecordComingOfAge answers
 * no events when there is nothing (left) to record, so callers can tell it apart.
 */
export function decideFamily<Forms extends PersonalForms = PlainForms>(
  command: FamilyCommand<Forms>,
  state: FamilyState,
  { familyId }: FamilyDecisionContext,
): FamilyEvent<Forms>[] {
  const assertRegistered = () => {
    if (!state.registered) throw new DomainConflict(`Family ${familyId} is not registered`);
  };
  switch (command.type) {
    case 'RegisterFamily': {
      if (state.registered) throw new DomainConflict(`Family ${familyId} is already registered`);
      if (command.members.length === 0) {
        throw new DomainRuleViolation('A family has at least one member', 'members');
      }
      const { teamId, members, network, address } = command;
      const registered: FamilyEvent<Forms> = {
        type: 'family.FamilyRegistered',
        data: {
          familyId,
          teamId,
          members,
          network,
          ...(address === undefined ? {} : { address }),
        },
      };
      // Registering leaves the case team as it was, so the registrar joins it as decided on
      // the state before (the registered event may still hold plaintext, which no state holds).
      return [
        registered,
        ...decideFamily<Forms>(
          { type: 'JoinCaseTeam', professional: command.registeredBy },
          state,
          { familyId },
        ),
      ];
    }
    case 'JoinCaseTeam': {
      const { professional } = command;
      if (isOnCaseTeam(state, professional.professionalId)) {
        throw new DomainConflict(`${professional.name} is already on the case team`);
      }
      const { professionalId, name, organisation, discipline, lifeDomains } = professional;
      return [
        {
          type: 'family.ProfessionalJoinedCaseTeam',
          data: {
            familyId,
            professionalId,
            name,
            organisation,
            discipline,
            ...(lifeDomains?.length ? { lifeDomains } : {}),
          },
        },
      ];
    }
    case 'AddMember': {
      assertRegistered();
      const { memberId, role, personal } = command.member;
      if (findMember(state, memberId)) {
        throw new DomainConflict(`Member ${memberId} is already part of this family`);
      }
      return [{ type: 'family.MemberAdded', data: { familyId, memberId, role, personal } }];
    }
    case 'RecordDeparture': {
      assertRegistered();
      const { memberId, reason } = command;
      const member = findMember(state, memberId);
      if (!member) {
        throw new DomainRuleViolation(`Member ${memberId} is not part of this family`, 'memberId');
      }
      if (member.status === 'departed') {
        throw new DomainConflict(`Member ${memberId} has already left the family`);
      }
      return [
        {
          type: 'family.MemberDeparted',
          data: { familyId, memberId, ...(reason === undefined ? {} : { reason }) },
        },
      ];
    }
    case 'AddNetworkMember': {
      assertRegistered();
      const { networkId, relation, personal } = command.networkMember;
      if (state.networkIds.includes(networkId)) {
        throw new DomainConflict(`Network member ${networkId} is already registered`);
      }
      return [
        { type: 'family.NetworkMemberAdded', data: { familyId, networkId, relation, personal } },
      ];
    }
    case 'ChangeAddress':
      assertRegistered();
      return [{ type: 'family.AddressChanged', data: { familyId, address: command.address } }];
    case 'RecordComingOfAge': {
      // Anything already recorded is left alone: the timer may fire late or twice.
      const member = findMember(state, command.memberId);
      if (!member || member.status !== 'current' || member.cameOfAge || command.age < 18) {
        return [];
      }
      return [{ type: 'family.MemberCameOfAge', data: { familyId, memberId: command.memberId } }];
    }
    case 'GrantConsent':
      assertRegistered();
      return [grantConsent(state, familyId, command.consent)];
    case 'WithdrawConsent': {
      const { memberId, consentId, withdrawnAt } = command;
      const consent = consentsOf(state).find(
        (c) => c.consentId === consentId && c.memberId === memberId,
      );
      if (!consent) throw new DomainNotFound('No such consent of this member');
      if (consent.withdrawn) throw new DomainConflict('This consent was already withdrawn');
      return [
        { type: 'family.ConsentWithdrawn', data: { familyId, consentId, memberId, withdrawnAt } },
      ];
    }
  }
}

/** A current member shares one life domain's need_to_know items with one grantee. */
function grantConsent(
  state: FamilyState,
  familyId: string,
  consent: Omit<ConsentGranted['data'], 'familyId'>,
): ConsentGranted {
  const member = findMember(state, consent.memberId);
  if (!member) throw new DomainRuleViolation('No such member in this family', 'memberId');
  if (member.status !== 'current') {
    throw new DomainRuleViolation('A member who left the family grants no new consent', 'memberId');
  }
  if ('memberId' in consent.grantee) {
    const grantee = findMember(state, consent.grantee.memberId);
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
  return { type: 'family.ConsentGranted', data: { familyId, ...consent } };
}

/** A family: stream `family-<familyId>`, decided and folded by pure functions. */
export const familyDecider: Decider<
  FamilyState,
  FamilyCommand,
  FamilyEvent,
  DecidedFamilyEvent,
  FamilyDecisionContext
> = {
  category: 'family',
  // 2: members with role and status, and the case team's professionals instead of their ids.
  // 3: members record cameOfAge. 4: consents, and case-team life domains.
  snapshotVersion: 4,
  label: 'family',
  initialState: INITIAL_FAMILY_STATE,
  evolve: evolveFamily,
  decide: decideFamily,
};
