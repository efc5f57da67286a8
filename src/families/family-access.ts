import type { AuthUser } from '#libs/auth/auth-user.js';
import type { FamilyState } from './family.evolve.js';
import type { RegieHolders } from '../kernel/regie.js';

/** The part of a family's state that decides who may act on it. */
export type FamilyAccessState = Pick<FamilyState, 'registered' | 'teamId' | 'caseTeam'>;

/**
 * Commands on a family, its plan and its regie are for its case team, its regisseurs and the
 * team lead of its team (api.md, "Who may act on a family"). An SLT colleague of the family's
 * team may know of the family (pseudonyms) but does not act on it: knowing is the privacy
 * lens's business, acting is decided here, from the write side's own state.
 */
export function actsOnFamily(
  state: FamilyAccessState,
  regie: RegieHolders,
  user: AuthUser,
): boolean {
  if (!state.registered || user.roles.includes('citizen')) return false;
  const me = (holder: { professionalId: string } | null) => holder?.professionalId === user.sub;
  if (state.caseTeam.some((p) => p.professionalId === user.sub)) return true;
  if (me(regie.casusregisseur) || me(regie.perspectiefregisseur) || me(regie.procesregisseur)) {
    return true;
  }
  return (
    user.roles.includes('team_lead') &&
    state.teamId !== undefined &&
    user.teams.includes(state.teamId)
  );
}
