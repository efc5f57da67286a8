import type { AuthUser } from '../../libs/auth/auth-user.js';
import { notFound } from '../../libs/http/problem-details.js';
import type { FamilyState } from './family.aggregate.js';

/** The part of a family's state that decides who may know of it. */
export type FamilyAccessState = Pick<FamilyState, 'registered' | 'teamId' | 'caseTeam'>;

/**
 * A professional may see and act on a family when they are on its case team or work in the
 * family's SLT team (the same rule as the family view's WHERE clause).
 */
export function canActOnFamily(state: FamilyAccessState, user: AuthUser): boolean {
  if (!state.registered) return false;
  if (state.caseTeam.some((p) => p.professionalId === user.sub)) return true;
  return state.teamId !== undefined && user.teams.includes(state.teamId);
}

/**
 * Guard for every command on a family (and on what hangs off it, such as its plan): anybody
 * else gets the same 404 as for a family that does not exist, never a 403, so the answer does
 * not reveal that the family is known.
 */
export function assertCanActOnFamily(state: FamilyAccessState, user: AuthUser): void {
  if (!canActOnFamily(state, user)) throw notFound('No family with this id');
}

/**
 * The same rule for queries on family_views (alias f): $2 is the caller's sub, $3 their teams.
 * Every read of a family or what hangs off it filters with this, so access is decided in the
 * query, not after it.
 */
export const FAMILY_ACCESS_SQL = `(f.case_team @> jsonb_build_array(jsonb_build_object('professionalId', $2::text))
  OR f.team_id::text = ANY($3::text[]))`;
