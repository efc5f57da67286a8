import type { AuthUser } from '#libs/auth/auth-user.js';
import { forbidden, notFound } from '#libs/http/problem-details.js';
import type { ConcernState } from './concern.evolve.js';

/**
 * Who sees what of a concern (concerns.md "Privacy"): intake (the professionals and lead of
 * the subject's team) and the casusregisseur of the family it was linked to see all of it, the
 * reporter what they sent, the family's case team its category and date; anybody else nothing.
 */
export type ConcernViewer = 'intake' | 'casusregisseur' | 'reporter' | 'case_team';

export interface ConcernParties {
  readonly teamId: string;
  readonly reporterId: string;
  /** Of the family the concern was linked to or registered as, if any. */
  readonly casusregisseurId?: string | null;
  readonly caseTeamIds?: readonly string[];
}

export function isIntake(user: AuthUser, teamId: string): boolean {
  return (
    user.teams.includes(teamId) &&
    (user.roles.includes('professional') || user.roles.includes('team_lead'))
  );
}

/** The widest view the user has of the concern, or null: to them it does not exist. */
export function concernViewerOf(user: AuthUser, parties: ConcernParties): ConcernViewer | null {
  if (isIntake(user, parties.teamId)) return 'intake';
  if (parties.casusregisseurId && parties.casusregisseurId === user.sub) return 'casusregisseur';
  if (parties.reporterId === user.sub) return 'reporter';
  if (parties.caseTeamIds?.includes(user.sub)) return 'case_team';
  return null;
}

/** Only intake acts on a concern; a reporter knows it exists (403), anyone else does not (404). */
export function assertIntake(user: AuthUser, parties: ConcernParties): void {
  if (isIntake(user, parties.teamId)) return;
  if (parties.reporterId === user.sub) {
    throw forbidden("Only the intake of the subject's team acts on a concern");
  }
  throw notFound('No such concern');
}

/** Intake of the concern's team only; a concern never filed or destroyed is unknown to all. */
export function intakeOnly(user: AuthUser, { concern }: ConcernState): void {
  if (!concern || concern.status === 'destroyed') throw notFound('No such concern');
  assertIntake(user, { teamId: concern.teamId, reporterId: concern.reporter.professionalId });
}

/** Any professional of any organisation files concerns (a front desk for neighbours too). */
export function mayFile(user: AuthUser): boolean {
  return user.roles.includes('professional') || user.roles.includes('team_lead');
}
