import { describe, expect, it } from '@jest/globals';
import type { AuthUser, Role } from '#libs/auth/auth-user.js';
import { ProblemException } from '#libs/http/problem-details.js';
import type { FamilyState } from '../families/family.evolve.js';
import { assertMayConsentFor, consentOnBehalfOf } from './consent-authority.js';

const TODAY = new Date('2026-12-04T10:00:00Z');
const family: FamilyState = {
  registered: true,
  teamId: 'team-1',
  members: [
    { memberId: 'mother', role: 'parent', status: 'current', personal: 'pd1:mother:x' },
    { memberId: 'teen', role: 'child', status: 'current', personal: 'pd1:teen:x' },
    { memberId: 'child', role: 'child', status: 'current', personal: 'pd1:child:x' },
  ],
  networkIds: [],
  caseTeam: [],
};
const datesOfBirth = new Map([
  ['mother', '1986-03-14'],
  ['teen', '2009-01-01'],
  ['child', '2016-05-20'],
]);
const user = (roles: Role[], memberId?: string): AuthUser => ({
  sub: `u-${memberId ?? 'prof'}`,
  name: 'Someone',
  organisation: 'SLT Haven',
  roles,
  teams: ['team-1'],
  ...(memberId === undefined ? {} : { memberId }),
});
const may = (memberId: string, who: AuthUser) => () =>
  assertMayConsentFor(family, memberId, who, datesOfBirth, TODAY);

describe('who consents for a member, and for whom the events say it was', () => {
  it('a member consents themselves: the events name nobody on whose behalf', () => {
    const teen = user(['citizen'], 'teen');

    expect(may('teen', teen)).not.toThrow();
    expect(consentOnBehalfOf('teen', teen)).toBeUndefined();
  });

  it('a parent for a child under 16, a professional for anyone: on the member’s behalf', () => {
    const mother = user(['citizen'], 'mother');
    const professional = user(['professional']);

    expect(may('child', mother)).not.toThrow();
    expect(consentOnBehalfOf('child', mother)).toBe('child');
    expect(may('teen', professional)).not.toThrow();
    expect(consentOnBehalfOf('teen', professional)).toBe('teen');
  });

  it('a parent for a member of 16 or older, or a child for another, is refused', () => {
    expect(may('teen', user(['citizen'], 'mother'))).toThrow(ProblemException);
    expect(may('mother', user(['citizen'], 'child'))).toThrow(ProblemException);
  });
});
