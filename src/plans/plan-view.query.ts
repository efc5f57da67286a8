import { Inject, Injectable, Optional } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/app.config.js';
import { AccessLog } from '#libs/access-log/access-log.js';
import type { AccessPoint } from '#libs/access-log/access-point.decorator.js';
import type { AuthUser } from '#libs/auth/auth-user.js';
import { addMonths, ageOn, birthdayOfAge, toDateString } from '#libs/clock/calendar.js';
import { CLOCK, type Clock } from '#libs/clock/index.js';
import { PersonalDataVault } from '#libs/personal-data/personal-data-vault.js';
import { PrivacyLens } from '../privacy/privacy-lens.js';
import type { ItemFacts, Viewer } from '../privacy/viewer.js';
import { requiredParties } from './agreement.js';
import { notesOf } from './plan-notes.sql.js';
import type { PlanDocument } from './plan.projection.js';
import { ZAAK_REGISTRATIONS, type ZaakRegistrations } from './zaak-registration.port.js';
import {
  regieOf,
  type Action,
  type Goal,
  type Plan,
  type PlanVersionSummary,
  type ProgressNote,
} from './plan.model.js';

/** Members this close to 18 get a transition review (18-/18+): support must not break. */
const TRANSITION_WINDOW_MONTHS = 6;

type Shown<T> = T | undefined;

/** A family's current plan, its notes fetched in the same statement (one round trip). */
export const CURRENT_PLAN_SQL = `SELECT p.document, ${notesOf('p.plan_id')} AS notes,
         p.stream_version::text
    FROM plan_views p WHERE p.family_id = $1`;

/**
 * One version of it: with the notes its document held, those written up to its last write. A
 * draft has no document of its own: it is the current plan.
 */
export const PLAN_VERSION_SQL = `SELECT coalesce(v.document, p.document) AS document,
         ${notesOf('v.plan_id', 'coalesce(v.note_count, p.note_count)')} AS notes
    FROM plan_versions v JOIN plan_views p ON p.plan_id = v.plan_id
   WHERE p.family_id = $1 AND v.version = $2`;

export interface StoredPlan {
  document: PlanDocument;
  notes: ProgressNote[];
}

/** The plan a stored row and its notes stand for, as `render` takes it. */
export const planOf = ({ document, notes }: StoredPlan): Plan => ({ ...document, notes });

/**
 * Reads a family's plan for one caller. Which items appear, and with which texts, is decided
 * per item by the Viewer (privacy.md): content by confidentiality level, metadata for the
 * professionals of the case, nothing of items a family member may not see. Every read is logged.
 */
@Injectable()
export class PlanViewQuery {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(PrivacyLens) private readonly lens: PrivacyLens,
    @Inject(PersonalDataVault) private readonly vault: PersonalDataVault,
    @Inject(AccessLog) private readonly accessLog: AccessLog,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Optional()
    @Inject(ZAAK_REGISTRATIONS)
    private readonly zaken: ZaakRegistrations | null = null,
  ) {}

  async current(familyId: string, user: AuthUser, accessPoint: AccessPoint) {
    const found = await this.lens.family(familyId, user);
    if (!found) return undefined;
    const rows: Array<StoredPlan & { stream_version: string }> = await this.dataSource.query(
      CURRENT_PLAN_SQL,
      [familyId],
    );
    if (!rows[0]) return undefined;
    const plan = planOf(rows[0]);
    const view = await this.render(plan, found.viewer);
    await this.log(familyId, found.viewer, accessPoint, 'plan', view.shownFor);
    // The zaaksysteem registration (when configured) is the casusregisseur's to watch over.
    const zaak =
      this.zaken && found.viewer.has('casusregisseur')
        ? { zaak: await this.zaken.ofPlan(familyId, plan.planId) }
        : {};
    return { view: { ...view.body, ...zaak }, etag: `"${rows[0].stream_version}"` };
  }

  async versions(familyId: string, user: AuthUser): Promise<PlanVersionSummary[] | undefined> {
    if (!(await this.lens.family(familyId, user))) return undefined;
    const rows: PlanVersionSummary[] = await this.dataSource.query(
      `SELECT v.version, v.status, to_char(v.agreed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "agreedAt"
         FROM plan_versions v JOIN plan_views p ON p.plan_id = v.plan_id
        WHERE p.family_id = $1 ORDER BY v.version`,
      [familyId],
    );
    return rows.length > 0 ? rows : undefined;
  }

  async version(familyId: string, user: AuthUser, version: number, accessPoint: AccessPoint) {
    const found = await this.lens.family(familyId, user);
    if (!found) return undefined;
    const rows: StoredPlan[] = await this.dataSource.query(PLAN_VERSION_SQL, [familyId, version]);
    if (!rows[0]) return undefined;
    const view = await this.render(planOf(rows[0]), found.viewer);
    await this.log(familyId, found.viewer, accessPoint, 'plan-version', view.shownFor);
    return view.body;
  }

  private async log(
    familyId: string,
    viewer: Viewer,
    accessPoint: AccessPoint,
    resource: string,
    memberIds: readonly string[],
  ) {
    const everyone = viewer.family.members.map((m) => m.memberId);
    await this.accessLog.record({
      action: 'read',
      resource,
      familyId,
      memberIds: memberIds.length > 0 ? memberIds : everyone,
      user: viewer.user,
      accessPoint,
      ...viewer.accessBasis(viewer.has('auditor') ? 'audit' : 'care coordination'),
    });
  }

  /** The plan as this viewer may see it; also used to render a past state (audit). */
  async render(plan: Plan, viewer: Viewer) {
    const head = { planId: plan.planId, status: plan.status, version: plan.version };
    // SLT colleagues see who holds casusregie and the status; team leads the status only.
    if (!viewer.onCase && !viewer.has('member', 'auditor') && !viewer.readsAsCasusregisseur) {
      const body = viewer.has('team_lead')
        ? head
        : { ...head, regie: { casusregisseur: regieOf(plan).casusregisseur } };
      return { body, shownFor: [] as string[] };
    }
    const facts = new ItemFactsOf(plan);
    const shownFor = new Set<string>();
    const show = <T>(
      item: ItemFacts,
      full: () => Promise<T>,
      meta: () => Partial<T>,
      title?: () => Promise<Partial<T>>,
    ) => {
      if (viewer.canRead(item)) {
        item.concerns.forEach((m) => shownFor.add(m));
        return full();
      }
      if (viewer.has('member') && !viewer.onCase) return Promise.resolve(undefined);
      if (title && viewer.canReadTitle(item)) return title();
      return Promise.resolve(meta());
    };
    const goals = await Promise.all(
      plan.goals.map((g) =>
        show(
          facts.goal(g),
          async () => ({
            ...g,
            familyWording: await this.vault.openText(g.familyWording),
            professionalWording: await this.vault.openText(g.professionalWording),
          }),
          () => goalMeta(g),
          async () => ({
            ...goalMeta(g),
            familyWording: await this.vault.openText(g.familyWording),
          }),
        ),
      ),
    );
    const today = toDateString(this.clock.now());
    const actions = await Promise.all(
      plan.actions.map((a) => {
        const meta = () => ({
          ...actionMeta(a),
          overdue: a.status === 'open' && a.dueDate < today,
        });
        return show(
          facts.action(a),
          async () => ({ ...meta(), description: await this.vault.openText(a.description) }),
          meta,
          async () => ({ ...meta(), description: await this.vault.openText(a.description) }),
        );
      }),
    );
    const notes = await Promise.all(
      plan.notes.map((n) =>
        show(
          facts.note(n),
          async () => ({ ...n, text: await this.vault.openText(n.text) }),
          () => noteMeta(n),
        ),
      ),
    );
    const family = viewer.family;
    const lastReview = plan.lastEvaluationAt ?? plan.firstAgreedAt;
    const now = this.clock.now();
    return {
      shownFor: [...shownFor],
      body: {
        ...head,
        openedAt: plan.openedAt,
        goals: goals.filter(isShown),
        actions: actions.filter(isShown),
        notes: notes.filter(isShown),
        agreement: {
          requiredParties:
            plan.status === 'draft'
              ? requiredParties(
                  plan,
                  { members: family.members, networkIds: [], caseTeam: family.caseTeam },
                  now,
                )
              : plan.signatures.map((s) => s.party),
          signatures: plan.signatures,
        },
        evaluationDueAt: lastReview
          ? addMonths(lastReview, this.config.EVALUATION_INTERVAL_MONTHS)
          : null,
        // The date reveals a birthday: only for the professionals of the case.
        ...(viewer.onCase ? { transitionReview: this.transitionReview(viewer, today) } : {}),
        regie: regieOf(plan),
        closedAt: plan.closedAt,
        closureReason: plan.closureReason,
      },
    };
  }

  private transitionReview(viewer: Viewer, today: string) {
    const horizon = addMonths(today, TRANSITION_WINDOW_MONTHS);
    return viewer.family.members
      .filter((m) => m.status === 'current' && m.dateOfBirth !== null)
      .filter((m) => ageOn(m.dateOfBirth!, this.clock.now()) < 18)
      .map((m) => ({ memberId: m.memberId, turns18On: birthdayOfAge(m.dateOfBirth!, 18) }))
      .filter(({ turns18On }) => turns18On <= horizon);
  }
}

const isShown = <T>(item: Shown<T>): item is T => item !== undefined;

/** Process metadata of an item, without its texts or life domain (the domain can be health data). */
const goalMeta = (g: Goal) => ({
  goalId: g.goalId,
  concerns: g.concerns,
  targetDate: g.targetDate,
  confidentiality: g.confidentiality,
  lifecycleStatus: g.lifecycleStatus,
  achievementStatus: g.achievementStatus,
});

const actionMeta = (a: Action) => ({
  actionId: a.actionId,
  goalId: a.goalId,
  assignee: a.assignee,
  dueDate: a.dueDate,
  confidentiality: a.confidentiality,
  status: a.status,
  completedAt: a.completedAt,
});

const noteMeta = (n: ProgressNote) => ({
  noteId: n.noteId,
  goalId: n.goalId,
  confidentiality: n.confidentiality,
  evaluation: n.evaluation,
  writtenAt: n.writtenAt,
  authorId: n.authorId,
});

/** The facts the privacy rules need of each item of one plan. */
class ItemFactsOf {
  constructor(private readonly plan: Plan) {}

  private actionHolders(goalId: string): string[] {
    return this.plan.actions
      .filter((a) => a.goalId === goalId && a.assignee.kind === 'professional')
      .map((a) => a.assignee.id);
  }

  goal(g: Goal): ItemFacts {
    return {
      confidentiality: g.confidentiality,
      lifeDomain: g.lifeDomain,
      concerns: g.concerns,
      authorId: g.authorId,
      named: [],
      actionHolders: this.actionHolders(g.goalId),
    };
  }

  action(a: Action): ItemFacts {
    const goal = this.plan.goals.find((g) => g.goalId === a.goalId);
    return {
      confidentiality: a.confidentiality,
      lifeDomain: goal?.lifeDomain ?? null,
      concerns: goal?.concerns ?? [],
      authorId: a.authorId,
      named: a.assignee.kind === 'professional' ? [a.assignee.id] : [],
      actionHolders: this.actionHolders(a.goalId),
    };
  }

  note(n: ProgressNote): ItemFacts {
    const goal = n.goalId ? this.plan.goals.find((g) => g.goalId === n.goalId) : undefined;
    return {
      confidentiality: n.confidentiality,
      lifeDomain: goal?.lifeDomain ?? null,
      concerns: goal?.concerns ?? [],
      authorId: n.authorId,
      named: [],
      actionHolders: goal ? this.actionHolders(goal.goalId) : [],
    };
  }
}
