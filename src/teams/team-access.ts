import type { AuthUser } from '#libs/auth/auth-user.js';

/** Who a caller is to a team's dashboard; recorded in the access log as the rule that allowed it. */
export type DashboardRule = 'team_lead' | 'team_member' | 'auditor' | 'admin';

/**
 * privacy.md: the SLT team lead sees aggregates; the dashboard is for the team's own lead and
 * its professionals (token `teams` names the team), and for `admin` and `auditor`. Anybody
 * else gets null, answered with the same 404 as a team that does not exist, so the answer does
 * not reveal which teams exist. A citizen is never a member of a team.
 */
export function dashboardRule(user: AuthUser, teamId: string): DashboardRule | null {
  const citizen = user.roles.includes('citizen');
  if (!citizen && user.teams.includes(teamId)) {
    return user.roles.includes('team_lead') ? 'team_lead' : 'team_member';
  }
  if (user.roles.includes('auditor')) return 'auditor';
  if (user.roles.includes('admin')) return 'admin';
  return null;
}

/** Members of the team know it exists; admins and auditors only see teams that do. */
export const isTeamMemberRule = (rule: DashboardRule) =>
  rule === 'team_lead' || rule === 'team_member';
