import { addMonths, ageOn, toDateString } from '#libs/clock/calendar.js';
import type { PlanStatus } from '../plans/plan.model.js';

/**
 * Age bands of the SLT dashboard, by age in whole years: [from, to). `unknown` counts members
 * whose date of birth was erased (crypto-shredding).
 */
export const AGE_BANDS = [
  { band: '0-4', from: 0, to: 4 },
  { band: '4-12', from: 4, to: 12 },
  { band: '12-18', from: 12, to: 18 },
  { band: '18-23', from: 18, to: 23 },
  { band: '23-65', from: 23, to: 65 },
  { band: '65+', from: 65, to: Number.POSITIVE_INFINITY },
] as const;

export type AgeBand = (typeof AGE_BANDS)[number]['band'] | 'unknown';

export const ESCALATION_LEVELS = ['0', '1', '2'] as const;

/** The band of someone born on `dateOfBirth` (null: erased) on `today`. */
export function ageBandOf(dateOfBirth: string | null, today: Date): AgeBand {
  if (dateOfBirth === null) return 'unknown';
  const age = ageOn(dateOfBirth, today);
  return AGE_BANDS.find((b) => age >= b.from && age < b.to)?.band ?? AGE_BANDS[0].band;
}

/** What the dashboard needs of one plan (plan_views.document, or the fold of its events). */
export interface DashboardPlan {
  readonly status: PlanStatus;
  readonly actions: ReadonlyArray<{ readonly status: string; readonly dueDate: string }>;
  readonly firstAgreedAt: string | null;
  readonly lastEvaluationAt: string | null;
}

/** One family of the team, as the dashboard sees it. */
export interface DashboardFamily {
  readonly familyId: string;
  /** The family's current (or last) plan; null while it has none. */
  readonly plan: DashboardPlan | null;
  readonly members: ReadonlyArray<{
    readonly memberId: string;
    readonly status: 'current' | 'departed';
    /** null: erased. Only read for the current members of active cases. */
    readonly dateOfBirth: string | null;
  }>;
  readonly caseTeam: ReadonlyArray<{ readonly professionalId: string; readonly name: string }>;
}

export interface TeamFigures {
  readonly activeCases: number;
  readonly plansAwaitingAgreement: number;
  readonly overdueActions: number;
  readonly evaluationsDue: number;
  readonly escalationsByLevel: Record<(typeof ESCALATION_LEVELS)[number], number>;
  readonly caseloadByProfessional: Array<{ professionalId: string; name: string; cases: number }>;
  readonly membersByAgeBand: Record<AgeBand, number>;
}

/** A case is active while its family has a plan that is not closed. */
export function isActiveCase(plan: DashboardPlan | null): plan is DashboardPlan {
  return plan !== null && plan.status !== 'closed';
}

/**
 * The date the plan's next periodic evaluation is due: the last evaluation (or, before any, the
 * first agreement) plus the interval; null for a plan never agreed.
 */
export function nextEvaluationDate(plan: DashboardPlan, intervalMonths: number): string | null {
  const lastReview = plan.lastEvaluationAt ?? plan.firstAgreedAt;
  return lastReview ? addMonths(lastReview, intervalMonths) : null;
}

/**
 * The SLT team dashboard's figures, from the team's families and the levels of their open
 * escalations. Only aggregates: no member's name, date of birth or id leaves this function.
 *
 * - activeCases: families whose plan exists and is not closed.
 * - plansAwaitingAgreement: plans in draft (a first version, or a next version not yet agreed).
 * - overdueActions: open actions of active plans whose due date is before today.
 * - evaluationsDue: active plans that were ever agreed whose next evaluation is today or earlier.
 * - escalationsByLevel: open escalations of the team's families, per level.
 * - caseloadByProfessional: per case-team professional, the active cases they are on; most
 *   cases first, then by name. A professional named differently in two case teams gets the
 *   alphabetically first name.
 * - membersByAgeBand: current (not departed) members of active cases.
 */
export function computeTeamFigures(input: {
  readonly families: readonly DashboardFamily[];
  readonly openEscalationLevels: readonly number[];
  readonly today: Date;
  readonly evaluationIntervalMonths: number;
}): TeamFigures {
  const today = toDateString(input.today);
  const active = input.families.filter((f) => isActiveCase(f.plan));
  const plans = active.map((f) => f.plan!);

  const escalationsByLevel = { '0': 0, '1': 0, '2': 0 };
  for (const level of input.openEscalationLevels) {
    const key = String(level) as keyof typeof escalationsByLevel;
    if (key in escalationsByLevel) escalationsByLevel[key] += 1;
  }

  const caseload = new Map<string, { professionalId: string; name: string; cases: number }>();
  for (const family of active) {
    const onCase = new Set<string>();
    for (const { professionalId, name } of family.caseTeam) {
      const entry = caseload.get(professionalId) ?? { professionalId, name, cases: 0 };
      if (name < entry.name) entry.name = name;
      if (!onCase.has(professionalId)) entry.cases += 1;
      onCase.add(professionalId);
      caseload.set(professionalId, entry);
    }
  }

  const membersByAgeBand = Object.fromEntries(
    [...AGE_BANDS.map((b) => b.band), 'unknown'].map((band) => [band, 0]),
  ) as Record<AgeBand, number>;
  for (const family of active) {
    for (const member of family.members) {
      if (member.status !== 'current') continue;
      membersByAgeBand[ageBandOf(member.dateOfBirth, input.today)] += 1;
    }
  }

  return {
    activeCases: active.length,
    plansAwaitingAgreement: plans.filter((p) => p.status === 'draft').length,
    overdueActions: plans
      .flatMap((p) => p.actions)
      .filter((a) => a.status === 'open' && a.dueDate < today).length,
    evaluationsDue: plans.filter((p) => {
      const due = nextEvaluationDate(p, input.evaluationIntervalMonths);
      return due !== null && due <= today;
    }).length,
    escalationsByLevel,
    caseloadByProfessional: sortCaseload([...caseload.values()]),
    membersByAgeBand,
  };
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Most cases first, then by name, then by id (by UTF-16 code units, not by collation). */
export function sortCaseload<T extends { professionalId: string; name: string; cases: number }>(
  caseload: T[],
): T[] {
  return caseload.sort(
    (a, b) =>
      b.cases - a.cases || compare(a.name, b.name) || compare(a.professionalId, b.professionalId),
  );
}
