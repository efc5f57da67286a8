import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AccessLog } from '#libs/access-log/access-log.js';
import type { AccessPoint } from '#libs/access-log/access-point.decorator.js';
import type { AuthUser } from '#libs/auth/auth-user.js';
import { toDateString } from '#libs/clock/calendar.js';
import { CLOCK, type Clock } from '#libs/clock/index.js';
import { dashboardRule, isTeamMemberRule, type DashboardRule } from './team-access.js';
import { AGE_BANDS, ESCALATION_LEVELS, sortCaseload, type TeamFigures } from './team-dashboard.js';

export interface TeamDashboard extends TeamFigures {
  readonly teamId: string;
  /** From TeamCreated; null fields for a team known only from its families. */
  readonly team: { name: string | null; wijk: string | null; stadsdeel: string | null };
  /** The date the figures are for (overdue, evaluations, ages): today by the clock. */
  readonly asOf: string;
}

interface DashboardRow {
  known: boolean;
  name: string | null;
  wijk: string | null;
  stadsdeel: string | null;
  counts: Record<string, number>;
  caseload: Array<{ professionalId: string; name: string; cases: number }>;
}

const PURPOSE: Record<DashboardRule, string> = {
  team_lead: 'team management',
  team_member: 'team management',
  auditor: 'audit',
  admin: 'administration',
};

/**
 * The SLT team dashboard, read from the figures the team-dashboard projection keeps
 * (team-dashboard.projection.ts): a lookup of one team's few rows, whatever its size. No date
 * of birth is opened here. Every read is logged as a search (no family, no member is shown).
 */
@Injectable()
export class TeamDashboardQuery {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(AccessLog) private readonly accessLog: AccessLog,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** undefined: not for this caller, or (for admins and auditors) no such team: a 404. */
  async find(
    teamId: string,
    user: AuthUser,
    accessPoint: AccessPoint,
  ): Promise<TeamDashboard | undefined> {
    const rule = dashboardRule(user, teamId);
    if (!rule) return undefined;
    const [row]: DashboardRow[] = await this.dataSource.query(
      `SELECT t.team_id IS NOT NULL AS known, t.name, t.wijk, t.stadsdeel,
              (SELECT coalesce(json_object_agg(figure, count), '{}')
                 FROM team_dashboard_counts WHERE team_id = $1) AS counts,
              (SELECT coalesce(json_agg(json_build_object('professionalId', professional_id,
                        'name', name, 'cases', cases)), '[]')
                 FROM team_dashboard_caseloads WHERE team_id = $1) AS caseload
         FROM (SELECT $1::uuid AS id) wanted
         LEFT JOIN team_dashboard_teams t ON t.team_id = wanted.id`,
      [teamId],
    );
    // A team is known from its creation or from a family registered with it.
    if (!isTeamMemberRule(rule) && !row.known) return undefined;
    const now = this.clock.now();
    await this.accessLog.record({
      action: 'search',
      resource: 'dashboard',
      familyId: null,
      memberIds: [],
      user,
      accessPoint,
      purpose: PURPOSE[rule],
      rule,
    });
    return {
      teamId,
      team: { name: row.name, wijk: row.wijk, stadsdeel: row.stadsdeel },
      asOf: toDateString(now),
      ...figuresOf(row),
    };
  }
}

/** The kept counters as TeamFigures, in computeTeamFigures' order and shape. */
function figuresOf(row: DashboardRow): TeamFigures {
  const n = (figure: string) => row.counts[figure] ?? 0;
  return {
    activeCases: n('activeCases'),
    plansAwaitingAgreement: n('plansAwaitingAgreement'),
    overdueActions: n('overdueActions'),
    evaluationsDue: n('evaluationsDue'),
    escalationsByLevel: Object.fromEntries(
      ESCALATION_LEVELS.map((level) => [level, n(`escalations:${level}`)]),
    ) as TeamFigures['escalationsByLevel'],
    caseloadByProfessional: sortCaseload(row.caseload),
    membersByAgeBand: Object.fromEntries(
      [...AGE_BANDS.map((b) => b.band), 'unknown'].map((band) => [band, n(`band:${band}`)]),
    ) as TeamFigures['membersByAgeBand'],
  };
}
