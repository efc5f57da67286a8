import type { AuthUser } from '#libs/auth/auth-user.js';
import { ageOn } from '#libs/clock/calendar.js';
import { forbidden } from '#libs/http/problem-details.js';
import type { FamilyState } from '../families/family.evolve.js';
import { OWN_LOGIN_AGE, OWN_SAY_AGE } from '../privacy/viewer.js';

/**
 * Who may grant or withdraw a member's consent (privacy.md, "Consent"): the member from 12
 * (alone from 16), a parent for a child under 16, or a professional of the family recording it
 * on the member's behalf (the event then names the member in onBehalfOf). Whether a
 * professional acts on the family is decided before (FamilyActors).
 */
export function assertMayConsentFor(
  family: FamilyState,
  memberId: string,
  user: AuthUser,
  datesOfBirth: ReadonlyMap<string, string | null>,
  today: Date,
): { onBehalfOf?: string } {
  // A professional here was already found to act on the family (FamilyActors).
  if (!user.roles.includes('citizen')) return { onBehalfOf: memberId };
  const age = (id: string) => {
    const born = datesOfBirth.get(id);
    return born ? ageOn(born, today) : 0;
  };
  const self = family.members.find((m) => m.memberId === user.memberId && m.status === 'current');
  if (self?.memberId === memberId && age(memberId) >= OWN_LOGIN_AGE) return {};
  if (self?.role === 'parent' && self.memberId !== memberId && age(memberId) < OWN_SAY_AGE) {
    return { onBehalfOf: memberId };
  }
  throw forbidden('Only the member (alone from 16) or a parent of a child under 16 consents');
}
