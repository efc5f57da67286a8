import type { PlanStatus } from '../plans/plan.model.js';
import { isActiveCase, nextEvaluationDate, type AgeBand } from './team-dashboard.js';

/** What the dashboard keeps of one family: only what its figures are counted from. */
export interface DashboardCase {
  readonly familyId: string;
  readonly teamId: string;
  plan: {
    readonly planId: string;
    status: PlanStatus;
    firstAgreedAt: string | null;
    lastEvaluationAt: string | null;
  } | null;
  readonly actions: Map<
    string,
    { readonly planId: string; readonly dueDate: string; open: boolean }
  >;
  readonly members: Map<
    string,
    {
      current: boolean;
      /** Sealed with the member's key, as in the event: opened only when the band moves. */
      readonly personal: string;
      band: AgeBand;
      /** Blind index of the day the band changes next; null: never, or erased. */
      changesOn: string | null;
    }
  >;
  /** Professional id to name (the alphabetically first, should one join twice). */
  readonly caseTeam: Map<string, string>;
}

/** A team's figures as counters: `activeCases`, `escalations:0`, `band:4-12` and so on. */
export type Counts = Map<string, number>;

export const isActive = (c: DashboardCase) => isActiveCase(c.plan && { ...c.plan, actions: [] });

export const nextEvaluationOf = (c: DashboardCase, intervalMonths: number): string | null =>
  c.plan ? nextEvaluationDate({ ...c.plan, actions: [] }, intervalMonths) : null;

/**
 * What one case adds to its team's counters on `today` (YYYY-MM-DD), by the rules of
 * computeTeamFigures; escalations are counted apart (they count whether the case is active
 * or not). Nothing for a case that is not active.
 */
export function contributionOf(c: DashboardCase, today: string, intervalMonths: number): Counts {
  const counts: Counts = new Map();
  if (!c.plan || !isActive(c)) return counts;
  const add = (figure: string) => counts.set(figure, (counts.get(figure) ?? 0) + 1);
  add('activeCases');
  if (c.plan.status === 'draft') add('plansAwaitingAgreement');
  const evaluation = nextEvaluationOf(c, intervalMonths);
  if (evaluation !== null && evaluation <= today) add('evaluationsDue');
  for (const a of c.actions.values()) {
    if (a.planId === c.plan.planId && a.open && a.dueDate < today) add('overdueActions');
  }
  for (const m of c.members.values()) if (m.current) add(`band:${m.band}`);
  return counts;
}

/** Adds `sign` times `counts` to `into`. */
export function addCounts(into: Counts, counts: Counts, sign: 1 | -1): void {
  for (const [figure, n] of counts) into.set(figure, (into.get(figure) ?? 0) + sign * n);
}
