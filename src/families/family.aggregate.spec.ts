import { describe, expect, it } from '@jest/globals';
import {
  DomainConflict,
  DomainNotFound,
  DomainRuleViolation,
} from '#libs/aggregates/domain-errors.js';
import {
  consentsOf,
  currentMembers,
  evolveFamily,
  FamilyType,
  INITIAL_FAMILY_STATE,
} from './family.aggregate.js';
import type { FamilyEvent } from './family.events.js';

const sanne = {
  professionalId: 'prof-sanne',
  name: 'Sanne',
  organisation: 'SLT Haven',
  discipline: 'SLT',
};
const joyce = {
  professionalId: 'prof-joyce',
  name: 'Joyce',
  organisation: 'JGZ Almere',
  discipline: 'jeugdverpleegkundige',
};
const member = { memberId: 'm-1', role: 'parent' as const, personal: 'pd1:m-1:sealed' };
const baby = { memberId: 'm-2', role: 'child' as const, personal: 'pd1:m-2:sealed' };
const grandmother = { networkId: 'n-1', relation: 'grandmother', personal: 'pd1:n-1:sealed' };

const registered: FamilyEvent[] = [
  {
    type: 'family.FamilyRegistered',
    data: { familyId: 'f-1', teamId: 'team-1', members: [member], network: [] },
  },
  { type: 'family.ProfessionalJoinedCaseTeam', data: { familyId: 'f-1', ...sanne } },
];

const fieldOf = (attempt: () => void): string | undefined => {
  try {
    attempt();
  } catch (error) {
    return (error as DomainRuleViolation).field;
  }
  return undefined;
};

function given(events: FamilyEvent[]) {
  const family = FamilyType.create('f-1');
  family.loadFromHistory(events);
  return family;
}

describe('Family', () => {
  it('Given nothing, When registered, Then it is registered and the registrar joins the case team', () => {
    const family = given([]);

    family.register('team-1', [member], [], sanne);

    expect(family.getUncommittedEvents().map((e) => e.type)).toEqual([
      'family.FamilyRegistered',
      'family.ProfessionalJoinedCaseTeam',
    ]);
    expect(family.currentState).toEqual({
      registered: true,
      teamId: 'team-1',
      members: [{ memberId: 'm-1', role: 'parent', status: 'current', personal: member.personal }],
      networkIds: [],
      caseTeam: [sanne],
      consents: [],
    });
  });

  it('Given a registered family, When registered again, Then it is a conflict', () => {
    const family = given([
      {
        type: 'family.FamilyRegistered',
        data: { familyId: 'f-1', teamId: 't', members: [member], network: [] },
      },
    ]);

    expect(() => family.register('team-1', [member], [], sanne)).toThrow(DomainConflict);
    expect(family.getUncommittedEvents()).toHaveLength(0);
  });

  it('Given nothing, When registered without members, Then the rule names the field', () => {
    const attempt = () => given([]).register('team-1', [], [], sanne);

    expect(attempt).toThrow(DomainRuleViolation);
    expect(attempt).toThrow('A family has at least one member');
    try {
      attempt();
    } catch (error) {
      expect((error as DomainRuleViolation).field).toBe('members');
    }
  });

  it('Given a case-team member, When they join again, Then it is a conflict', () => {
    const family = given([]);
    family.register('team-1', [member], [], sanne);
    expect(() => family.joinCaseTeam(sanne)).toThrow(DomainConflict);
  });

  describe('members', () => {
    it('Given a registered family, When a member is added, Then they are a current member', () => {
      const family = given(registered);

      family.addMember(baby);

      expect(family.getUncommittedEvents()).toEqual([
        { type: 'family.MemberAdded', data: { familyId: 'f-1', ...baby } },
      ]);
      expect(currentMembers(family.currentState).map((m) => m.memberId)).toEqual(['m-1', 'm-2']);
      expect(family.currentState.members[1]).toEqual({ ...baby, status: 'current' });
    });

    it('Given a member, When the same member is added again, Then it is a conflict', () => {
      const family = given([
        ...registered,
        { type: 'family.MemberAdded', data: { familyId: 'f-1', ...baby } },
      ]);

      expect(() => family.addMember(baby)).toThrow(DomainConflict);
      expect(family.getUncommittedEvents()).toHaveLength(0);
    });

    it('Given no family, When a member is added, Then it is a conflict', () => {
      expect(() => given([]).addMember(baby)).toThrow(DomainConflict);
    });

    it('Given a current member, When they depart, Then they stay listed as departed', () => {
      const family = given([
        ...registered,
        { type: 'family.MemberAdded', data: { familyId: 'f-1', ...baby } },
      ]);

      family.recordDeparture('m-1', 'pd1:m-1:sealed-reason');

      expect(family.getUncommittedEvents()).toEqual([
        {
          type: 'family.MemberDeparted',
          data: { familyId: 'f-1', memberId: 'm-1', reason: 'pd1:m-1:sealed-reason' },
        },
      ]);
      expect(family.currentState.members.map((m) => [m.memberId, m.status])).toEqual([
        ['m-1', 'departed'],
        ['m-2', 'current'],
      ]);
      expect(currentMembers(family.currentState).map((m) => m.memberId)).toEqual(['m-2']);
    });

    it('Given a current member, When they depart without a reason, Then the event has no reason', () => {
      const family = given(registered);

      family.recordDeparture('m-1');

      expect(family.getUncommittedEvents()[0].data).toEqual({ familyId: 'f-1', memberId: 'm-1' });
    });

    it('Given a departed member, When they depart again, Then it is a conflict', () => {
      const family = given([
        ...registered,
        { type: 'family.MemberDeparted', data: { familyId: 'f-1', memberId: 'm-1' } },
      ]);

      expect(() => family.recordDeparture('m-1')).toThrow(DomainConflict);
      expect(family.getUncommittedEvents()).toHaveLength(0);
    });

    it('Given a family, When an unknown member departs, Then the rule names the member', () => {
      const family = given(registered);

      expect(() => family.recordDeparture('m-unknown')).toThrow(DomainRuleViolation);
      expect(fieldOf(() => family.recordDeparture('m-unknown'))).toBe('memberId');
      expect(family.getUncommittedEvents()).toHaveLength(0);
    });
  });

  describe('coming of age', () => {
    const withChild: FamilyEvent[] = [
      ...registered,
      { type: 'family.MemberAdded', data: { familyId: 'f-1', ...baby } },
    ];

    it('Given a current member of 18, When the birthday is recorded, Then MemberCameOfAge once', () => {
      const family = given(withChild);

      expect(family.recordComingOfAge('m-2', 18)).toBe(true);
      expect(family.recordComingOfAge('m-2', 18)).toBe(false);

      expect(family.getUncommittedEvents()).toEqual([
        { type: 'family.MemberCameOfAge', data: { familyId: 'f-1', memberId: 'm-2' } },
      ]);
      expect(family.currentState.members[1].cameOfAge).toBe(true);
    });

    it('Given a recorded birthday in history, When a late timer fires again, Then nothing happens', () => {
      const family = given([
        ...withChild,
        { type: 'family.MemberCameOfAge', data: { familyId: 'f-1', memberId: 'm-2' } },
      ]);

      expect(family.recordComingOfAge('m-2', 19)).toBe(false);
      expect(family.getUncommittedEvents()).toEqual([]);
    });

    it('Given a member of 17, a departed member or an unknown one, When recorded, Then nothing happens', () => {
      const departed = given([
        ...withChild,
        { type: 'family.MemberDeparted', data: { familyId: 'f-1', memberId: 'm-2' } },
      ]);
      const young = given(withChild);

      expect(young.recordComingOfAge('m-2', 17)).toBe(false);
      expect(departed.recordComingOfAge('m-2', 18)).toBe(false);
      expect(young.recordComingOfAge('m-unknown', 18)).toBe(false);
      expect([...young.getUncommittedEvents(), ...departed.getUncommittedEvents()]).toEqual([]);
    });
  });

  describe('consent', () => {
    const withChild: FamilyEvent[] = [
      ...registered,
      { type: 'family.MemberAdded', data: { familyId: 'f-1', ...baby } },
    ];
    const grant = {
      consentId: 'c-1',
      memberId: 'm-2',
      grantee: { memberId: 'm-1' },
      lifeDomain: 'mental_health',
      purpose: 'ondersteuning door moeder',
      until: null,
      grantedAt: '2026-11-23T10:00:00.000Z',
    };

    it('Given a member, When they consent for a life domain, Then the consent is recorded', () => {
      const family = given(withChild);

      family.grantConsent(grant);

      expect(family.getUncommittedEvents()).toEqual([
        { type: 'family.ConsentGranted', data: { familyId: 'f-1', ...grant } },
      ]);
      expect(consentsOf(family.currentState)).toEqual([{ ...grant, withdrawn: false }]);
    });

    it('Given a consent, When withdrawn twice, Then the second is a conflict', () => {
      const family = given([
        ...withChild,
        { type: 'family.ConsentGranted', data: { familyId: 'f-1', ...grant } },
      ]);

      family.withdrawConsent('m-2', 'c-1', '2026-11-24T10:00:00.000Z');

      expect(consentsOf(family.currentState)[0].withdrawn).toBe(true);
      expect(() => family.withdrawConsent('m-2', 'c-1', '2026-11-24T11:00:00.000Z')).toThrow(
        DomainConflict,
      );
      expect(() => family.withdrawConsent('m-1', 'c-1', '2026-11-24T11:00:00.000Z')).toThrow(
        DomainNotFound,
      );
    });

    it('Given a family, When consent names a stranger, oneself, or ends before it starts, Then the rule names the field', () => {
      const family = given(withChild);

      expect(fieldOf(() => family.grantConsent({ ...grant, memberId: 'm-x' }))).toBe('memberId');
      expect(fieldOf(() => family.grantConsent({ ...grant, grantee: { memberId: 'm-2' } }))).toBe(
        'memberId',
      );
      expect(fieldOf(() => family.grantConsent({ ...grant, until: '2026-11-01' }))).toBe('until');
      expect(family.getUncommittedEvents()).toEqual([]);
    });
  });

  describe('network', () => {
    it('Given a registered family, When a network member is added, Then it is registered', () => {
      const family = given(registered);

      family.addNetworkMember(grandmother);

      expect(family.getUncommittedEvents()).toEqual([
        { type: 'family.NetworkMemberAdded', data: { familyId: 'f-1', ...grandmother } },
      ]);
      expect(family.currentState.networkIds).toEqual(['n-1']);
    });

    it('Given a network member, When added again, Then it is a conflict', () => {
      const family = given([
        ...registered,
        { type: 'family.NetworkMemberAdded', data: { familyId: 'f-1', ...grandmother } },
      ]);

      expect(() => family.addNetworkMember(grandmother)).toThrow(DomainConflict);
    });
  });

  describe('case team', () => {
    it('Given a registered family, When a professional joins, Then the case team lists them in full', () => {
      const family = given(registered);

      family.joinCaseTeam(joyce);

      expect(family.getUncommittedEvents()).toEqual([
        { type: 'family.ProfessionalJoinedCaseTeam', data: { familyId: 'f-1', ...joyce } },
      ]);
      expect(family.currentState.caseTeam).toEqual([sanne, joyce]);
    });

    it('Given a professional on the case team, When they join again, Then it is a conflict', () => {
      const family = given([
        ...registered,
        { type: 'family.ProfessionalJoinedCaseTeam', data: { familyId: 'f-1', ...joyce } },
      ]);

      expect(() => family.joinCaseTeam({ ...joyce, discipline: 'other' })).toThrow(DomainConflict);
      expect(family.getUncommittedEvents()).toHaveLength(0);
    });
  });

  it('folds the same state from history as it reached live', () => {
    const live = given([]);
    live.register('team-1', [member], [], sanne);
    live.addMember(baby);
    live.addNetworkMember(grandmother);
    live.joinCaseTeam(joyce);
    live.recordDeparture('m-1');
    const events = live.getUncommittedEvents();

    expect(events.reduce(evolveFamily, INITIAL_FAMILY_STATE)).toEqual(live.currentState);
    expect(given(events).currentState).toEqual(live.currentState);
  });

  it('restores from a snapshot of its state (JSON) to the same state', () => {
    const live = given(registered);
    live.addMember(baby);
    live.recordDeparture('m-1');
    live.recordComingOfAge('m-2', 18);
    const restored = FamilyType.create('f-1');

    restored.restore(JSON.parse(JSON.stringify(live.currentState)), 4);

    expect(restored.currentState).toEqual(live.currentState);
    expect(() => restored.recordDeparture('m-1')).toThrow(DomainConflict);
    expect(restored.recordComingOfAge('m-2', 18)).toBe(false);
    expect(FamilyType.snapshotVersion).toBe(4);
  });
});
