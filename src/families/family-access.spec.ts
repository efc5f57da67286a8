import { describe, expect, it } from '@jest/globals';
import type { AuthUser } from '../../libs/auth/auth-user.js';
import { ProblemException } from '../../libs/http/problem-details.js';
import { assertCanActOnFamily, canActOnFamily } from './family-access.js';
import { INITIAL_FAMILY_STATE, type FamilyState } from './family.aggregate.js';

const family: FamilyState = {
  registered: true,
  teamId: 'team-haven',
  members: [],
  networkIds: [],
  caseTeam: [
    { professionalId: 'prof-joyce', name: 'Joyce', organisation: 'JGZ', discipline: 'JGZ' },
  ],
};

const user = (sub: string, teams: string[] = []): AuthUser => ({
  sub,
  name: sub,
  organisation: 'Somewhere',
  roles: ['professional'],
  teams,
});

describe('access to a family', () => {
  it('lets a professional on the case team act, whatever their teams', () => {
    expect(canActOnFamily(family, user('prof-joyce'))).toBe(true);
  });

  it("lets a professional of the family's SLT team act without being on the case team", () => {
    expect(canActOnFamily(family, user('prof-colleague', ['team-other', 'team-haven']))).toBe(true);
  });

  it('answers anybody else with a 404 problem, never a 403', () => {
    const attempt = () => assertCanActOnFamily(family, user('prof-other', ['team-other']));

    expect(attempt).toThrow(ProblemException);
    try {
      attempt();
    } catch (error) {
      expect((error as ProblemException).problem.status).toBe(404);
    }
  });

  it('treats a family that was never registered as unknown', () => {
    expect(canActOnFamily(INITIAL_FAMILY_STATE, user('prof-joyce', ['team-haven']))).toBe(false);
  });
});
