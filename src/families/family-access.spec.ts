import { describe, expect, it } from '@jest/globals';
import type { AuthUser, Role } from '#libs/auth/auth-user.js';
import { actsOnFamily } from './family-access.js';
import { type RegieHolders } from '../kernel/regie.js';
import { INITIAL_FAMILY_STATE, type FamilyState } from './family.evolve.js';

const family: FamilyState = {
  registered: true,
  teamId: 'team-haven',
  members: [],
  networkIds: [],
  caseTeam: [
    { professionalId: 'prof-joyce', name: 'Joyce', organisation: 'JGZ', discipline: 'JGZ' },
  ],
};

const noRegie: RegieHolders = {
  casusregisseur: null,
  perspectiefregisseur: null,
  procesregisseur: null,
};

const user = (sub: string, teams: string[] = [], roles: Role[] = ['professional']): AuthUser => ({
  sub,
  name: sub,
  organisation: 'Somewhere',
  roles,
  teams,
});

describe('who may act on a family', () => {
  it('lets a professional on the case team act, whatever their teams', () => {
    expect(actsOnFamily(family, noRegie, user('prof-joyce'))).toBe(true);
  });

  it("does not let an SLT colleague of the family's team act when they are not on the case", () => {
    expect(
      actsOnFamily(family, noRegie, user('prof-colleague', ['team-other', 'team-haven'])),
    ).toBe(false);
  });

  it("lets the team lead of the family's team act, and no other team's lead", () => {
    expect(actsOnFamily(family, noRegie, user('lead', ['team-haven'], ['team_lead']))).toBe(true);
    expect(actsOnFamily(family, noRegie, user('lead', ['team-other'], ['team_lead']))).toBe(false);
  });

  it('lets each regisseur of the active plan act, also from outside the case team', () => {
    for (const field of ['casusregisseur', 'perspectiefregisseur', 'procesregisseur'] as const) {
      const regie = { ...noRegie, [field]: { professionalId: 'prof-regie' } };
      expect({ field, acts: actsOnFamily(family, regie, user('prof-regie')) }).toEqual({
        field,
        acts: true,
      });
    }
  });

  it('never lets a citizen act as a professional, even when their token id matches one', () => {
    expect(actsOnFamily(family, noRegie, user('prof-joyce', [], ['citizen']))).toBe(false);
  });

  it('treats a family that was never registered as unknown', () => {
    expect(actsOnFamily(INITIAL_FAMILY_STATE, noRegie, user('prof-joyce', ['team-haven']))).toBe(
      false,
    );
  });
});
