import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/app.config.js';
import { AccessLog } from '../../libs/access-log/access-log.js';
import type { AccessPoint } from '../../libs/access-log/access-point.decorator.js';
import type { AuthUser } from '../../libs/auth/auth-user.js';
import { toDateString } from '../../libs/clock/calendar.js';
import { CLOCK, type Clock } from '../../libs/clock/index.js';
import { PersonalDataVault } from '../../libs/personal-data/personal-data-vault.js';
import { dashboardRule, isTeamMemberRule, type DashboardRule } from './team-access.js';
import {
  computeTeamFigures,
  isActiveCase,
  type DashboardFamily,
  type DashboardPlan,
  type TeamFigures,
} from './team-dashboard.js';
import { dateOfBirthOf } from '../families/date-of-birth.js';

export interface TeamDashboard extends TeamFigures {
  readonly teamId: string;
  /** From TeamCreated; null fields for a team known only from its families. */
  readonly team: { name: string | null; wijk: string | null; stadsdeel: string | null };
  /** The date the figures are computed for (overdue, evaluations, ages). */
  readonly asOf: string;
}

interface FamilyRow {
  family_id: string;
  members: Array<{ memberId: string; status: 'current' | 'departed'; personal: string }>;
  case_team: Array<{ professionalId: string; name: string }>;
  plan: DashboardPlan | null;
}

interface TeamRow {
  name: string;
  wijk: string;
  stadsdeel: string;
}

const PURPOSE: Record<DashboardRule, string> = {
  team_lead: 'team management',
  team_member: 'team management',
  auditor: 'audit',
  admin: 'administration',
};

/**
 * The SLT team dashboard, computed at query time from the read models the projections keep
 * current (family_views, plan_views, escalation_views, team_views). Dates of birth are sealed
 * per member: they are opened here only to count members per age band, and never leave.
 * Every read is logged as a search (no family, no member is shown).
 */
@Injectable()
export class TeamDashboardQuery {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(PersonalDataVault) private readonly vault: PersonalDataVault,
    @Inject(AccessLog) private readonly accessLog: AccessLog,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** undefined: not for this caller, or (for admins and auditors) no such team: a 404. */
  async find(
    teamId: string,
    user: AuthUser,
    accessPoint: AccessPoint,
  ): Promise<TeamDashboard | undefined> {
    const rule = dashboardRule(user, teamId);
    if (!rule) return undefined;
    const [teams, rows]: [TeamRow[], FamilyRow[]] = await Promise.all([
      this.dataSource.query('SELECT name, wijk, stadsdeel FROM team_views WHERE team_id = $1', [
        teamId,
      ]),
      this.dataSource.query(
        `SELECT f.family_id, f.members, f.case_team,
                CASE WHEN p.family_id IS NULL THEN NULL ELSE jsonb_build_object(
                  'status', p.status,
                  'actions', coalesce(p.document->'actions', '[]'::jsonb),
                  'firstAgreedAt', p.document->'firstAgreedAt',
                  'lastEvaluationAt', p.document->'lastEvaluationAt') END AS plan
           FROM family_views f LEFT JOIN plan_views p ON p.family_id = f.family_id
          WHERE f.team_id = $1
          ORDER BY f.registered_at, f.family_id`,
        [teamId],
      ),
    ]);
    if (!isTeamMemberRule(rule) && teams.length === 0 && rows.length === 0) return undefined;
    const levels: Array<{ level: number }> = await this.dataSource.query(
      `SELECT e.level FROM escalation_views e JOIN family_views f ON f.family_id = e.family_id
        WHERE f.team_id = $1 AND e.status = 'open'`,
      [teamId],
    );
    const now = this.clock.now();
    const families = await Promise.all(rows.map((row) => this.toFamily(row)));
    const figures = computeTeamFigures({
      families,
      openEscalationLevels: levels.map((l) => l.level),
      today: now,
      evaluationIntervalMonths: this.config.EVALUATION_INTERVAL_MONTHS,
    });
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
    const team = teams[0];
    return {
      teamId,
      team: {
        name: team?.name ?? null,
        wijk: team?.wijk ?? null,
        stadsdeel: team?.stadsdeel ?? null,
      },
      asOf: toDateString(now),
      ...figures,
    };
  }

  /** Opens the dates of birth of the current members of active cases only: nobody else counts. */
  private async toFamily(row: FamilyRow): Promise<DashboardFamily> {
    const counted = isActiveCase(row.plan);
    const members = await Promise.all(
      row.members
        .filter((m) => counted && m.status === 'current')
        .map(async (m) => ({
          memberId: m.memberId,
          status: m.status,
          dateOfBirth: await dateOfBirthOf(this.vault, m.personal),
        })),
    );
    return {
      familyId: row.family_id,
      plan: row.plan,
      members,
      caseTeam: row.case_team.map(({ professionalId, name }) => ({ professionalId, name })),
    };
  }
}
