import type { AuthUser } from '#libs/auth/auth-user.js';
import { ageOn } from '#libs/clock/calendar.js';
import { forbidden } from '#libs/http/problem-details.js';
import type { FamilyState } from '../families/family.evolve.js';
import { OWN_LOGIN_AGE, OWN_SAY_AGE } from '../privacy/viewer.js';

/**
 * Who may grant or withdraw a member's consent (privacy.md, "Consent"): the member from 12
 * (alone from 16), a parent for a child under 16, or a professional of the family recording it
 * on the member's behalf (the event then names the member in onBehalfOf, `consentOnBehalfOf`).
 * Whether a professional acts on the family is decided before (FamilyActors).
 */
export function assertMayConsentFor(
  family: FamilyState,
  memberId: string,
  user: AuthUser,
  datesOfBirth: ReadonlyMap<string, string | null>,
  today: Date,
): void {
  // A professional here was already found to act on the family (FamilyActors).
  if (!user.roles.includes('citizen')) return;
  const age = (id: string) => {
    const born = datesOfBirth.get(id);
    return born ? ageOn(born, today) : 0;
  };
  const self = family.members.find((m) => m.memberId === user.memberId && m.status === 'current');
  if (self?.memberId === memberId && age(memberId) >= OWN_LOGIN_AGE) return;
  if (self?.role === 'parent' && self.memberId !== memberId && age(memberId) < OWN_SAY_AGE) return;
  throw forbidden('Only the member (alone from 16) or a parent of a child under 16 consents');
}

/**
 * Whom a consent's events name in onBehalfOf: the member, unless they consent themselves.
 * Known from who asks before the family is read: whoever `assertMayConsentFor` lets through is
 * either that member (a citizen with their own member id) or records it for them.
 */
export function consentOnBehalfOf(memberId: string, user: AuthUser): string | undefined {
  return user.roles.includes('citizen') && user.memberId === memberId ? undefined : memberId;
}
