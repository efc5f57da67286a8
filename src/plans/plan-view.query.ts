import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/app.config.js';
import type { AuthUser } from '../../libs/auth/auth-user.js';
import { addMonths, ageOn, birthdayOfAge, toDateString } from '../../libs/clock/calendar.js';
import { CLOCK, type Clock } from '../../libs/clock/index.js';
import { isErased, PersonalDataVault } from '../../libs/personal-data/personal-data-vault.js';
import { FAMILY_ACCESS_SQL } from '../families/family-access.js';
import { requiredParties, type FamilyContext } from './agreement.js';
import { familyContext, type StoredFamily } from './family-context.js';
import { regieOf, type Plan, type PlanVersionSummary } from './plan.model.js';

interface AccessibleFamily {
  members: StoredFamily['members'];
  network: Array<{ networkId: string }>;
  case_team: StoredFamily['caseTeam'];
}

/** Members this close to 18 get a transition review (18-/18+): support must not break. */
const TRANSITION_WINDOW_MONTHS = 6;

/**
 * Reads a family's plan for one caller. The family row is read with the same access condition
 * as the family view, so an outsider cannot tell a plan exists (404).
 */
@Injectable()
export class PlanViewQuery {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(PersonalDataVault) private readonly vault: PersonalDataVault,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async current(familyId: string, viewer: AuthUser) {
    const family = await this.family(familyId, viewer);
    if (!family) return undefined;
    const rows: Array<{ document: Plan; stream_version: string }> = await this.dataSource.query(
      'SELECT document, stream_version::text FROM plan_views WHERE family_id = $1',
      [familyId],
    );
    if (!rows[0]) return undefined;
    return {
      view: await this.toView(rows[0].document, family),
      etag: `"${rows[0].stream_version}"`,
    };
  }

  async versions(familyId: string, viewer: AuthUser): Promise<PlanVersionSummary[] | undefined> {
    if (!(await this.family(familyId, viewer))) return undefined;
    const rows: PlanVersionSummary[] = await this.dataSource.query(
      `SELECT v.version, v.status, to_char(v.agreed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "agreedAt"
         FROM plan_versions v JOIN plan_views p ON p.plan_id = v.plan_id
        WHERE p.family_id = $1 ORDER BY v.version`,
      [familyId],
    );
    return rows.length > 0 ? rows : undefined;
  }

  async version(familyId: string, viewer: AuthUser, version: number) {
    const family = await this.family(familyId, viewer);
    if (!family) return undefined;
    const rows: Array<{ document: Plan }> = await this.dataSource.query(
      `SELECT v.document FROM plan_versions v JOIN plan_views p ON p.plan_id = v.plan_id
        WHERE p.family_id = $1 AND v.version = $2`,
      [familyId, version],
    );
    return rows[0] ? this.toView(rows[0].document, family) : undefined;
  }

  private async family(familyId: string, viewer: AuthUser): Promise<FamilyContext | undefined> {
    const rows: AccessibleFamily[] = await this.dataSource.query(
      `SELECT members, network, case_team FROM family_views f
        WHERE f.family_id = $1 AND ${FAMILY_ACCESS_SQL}`,
      [familyId, viewer.sub, viewer.teams],
    );
    if (!rows[0]) return undefined;
    const { members, network, case_team } = rows[0];
    return familyContext(
      { members, networkIds: network.map((n) => n.networkId), caseTeam: case_team },
      this.vault,
    );
  }

  private async open(sealed: string | null): Promise<string | null> {
    if (sealed === null) return null;
    const text = await this.vault.open<string>(sealed);
    return isErased(text) ? null : text;
  }

  private async toView(plan: Plan, family: FamilyContext) {
    const now = this.clock.now();
    const today = toDateString(now);
    const goals = await Promise.all(
      plan.goals.map(async (g) => ({
        ...g,
        familyWording: await this.open(g.familyWording),
        professionalWording: await this.open(g.professionalWording),
      })),
    );
    const actions = await Promise.all(
      plan.actions.map(async (a) => ({
        actionId: a.actionId,
        goalId: a.goalId,
        description: await this.open(a.description),
        assignee: a.assignee,
        dueDate: a.dueDate,
        confidentiality: a.confidentiality,
        status: a.status,
        completedAt: a.completedAt,
        overdue: a.status === 'open' && a.dueDate < today,
      })),
    );
    const notes = await Promise.all(
      plan.notes.map(async (n) => ({ ...n, text: await this.open(n.text) })),
    );
    const lastReview = plan.lastEvaluationAt ?? plan.firstAgreedAt;
    const reviewHorizon = addMonths(today, TRANSITION_WINDOW_MONTHS);
    return {
      planId: plan.planId,
      status: plan.status,
      version: plan.version,
      openedAt: plan.openedAt,
      goals,
      actions,
      notes,
      agreement: {
        requiredParties:
          plan.status === 'draft'
            ? requiredParties(plan, family, now)
            : plan.signatures.map((s) => s.party),
        signatures: plan.signatures,
      },
      evaluationDueAt: lastReview
        ? addMonths(lastReview, this.config.EVALUATION_INTERVAL_MONTHS)
        : null,
      transitionReview: family.members
        .filter((m) => m.status === 'current' && m.dateOfBirth !== null)
        .filter((m) => ageOn(m.dateOfBirth!, now) < 18)
        .map((m) => ({ memberId: m.memberId, turns18On: birthdayOfAge(m.dateOfBirth!, 18) }))
        .filter(({ turns18On }) => turns18On <= reviewHorizon),
      regie: regieOf(plan),
      closedAt: plan.closedAt,
      closureReason: plan.closureReason,
    };
  }
}
