import { describe, expect, it } from '@jest/globals';
import { DomainConflict, DomainRuleViolation } from '../../libs/aggregates/domain-errors.js';
import { evolveFamily, FamilyType, type FamilyState } from './family.aggregate.js';
import type { FamilyEvent } from './family.events.js';

const sanne = {
  professionalId: 'prof-sanne',
  name: 'Sanne',
  organisation: 'SLT Haven',
  discipline: 'SLT',
};
const member = { memberId: 'm-1', role: 'parent' as const, personal: 'pd1:m-1:sealed' };

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
      memberIds: ['m-1'],
      networkIds: [],
      caseTeam: ['prof-sanne'],
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

  it('folds the same state from history as it reached live', () => {
    const live = given([]);
    live.register('team-1', [member], [], sanne);
    const events = live.getUncommittedEvents();
    const initial: FamilyState = { registered: false, memberIds: [], networkIds: [], caseTeam: [] };

    expect(events.reduce(evolveFamily, initial)).toEqual(live.currentState);
  });
});
