import type { PlanEvent } from '../plans/plan.events.js';
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

/** A case as one batch folds it: its state, and what it was when the batch loaded it. */
export interface LoadedCase {
  readonly state: DashboardCase;
  /** What the case added to its team's counters when it was loaded. */
  readonly before: Counts;
  readonly caseTeamBefore: ReadonlySet<string>;
  readonly activeBefore: boolean;
  readonly deletedActions: Set<string>;
  /** Rows to write: `action <id>`, `member <id>`, `professional <id>`. */
  readonly changed: Set<string>;
}

/** A case as it is stored (or, new, as nothing), on the day `today`. */
export function loadedCase(
  state: DashboardCase,
  today: string,
  intervalMonths: number,
): LoadedCase {
  return {
    state,
    before: contributionOf(state, today, intervalMonths),
    caseTeamBefore: new Set(state.caseTeam.keys()),
    activeBefore: isActive(state),
    deletedActions: new Set(),
    changed: new Set(),
  };
}

/** The plan facts the dashboard counts from, folded as evolvePlan does (plan.evolve.ts). */
export function foldPlan(loaded: LoadedCase, event: PlanEvent): void {
  const c = loaded.state;
  if (event.type === 'gezinsplan.PlanOpened') {
    // A new plan replaces the last one: its actions are no longer the family's.
    for (const id of c.actions.keys()) loaded.deletedActions.add(id);
    c.actions.clear();
    c.plan = {
      planId: event.data.planId,
      status: 'draft',
      firstAgreedAt: null,
      lastEvaluationAt: null,
    };
    return;
  }
  const plan = c.plan;
  if (!plan || plan.planId !== event.data.planId) return;
  switch (event.type) {
    case 'gezinsplan.ActionAdded': {
      const { actionId, dueDate, status } = event.data.action;
      loaded.deletedActions.delete(actionId);
      loaded.changed.add(`action ${actionId}`);
      c.actions.set(actionId, { planId: plan.planId, dueDate, open: status === 'open' });
      return;
    }
    case 'gezinsplan.ActionCompleted': {
      const action = c.actions.get(event.data.actionId);
      if (action) action.open = false;
      loaded.changed.add(`action ${event.data.actionId}`);
      return;
    }
    case 'gezinsplan.ProgressNoteAdded':
      if (event.data.note.evaluation) plan.lastEvaluationAt = event.data.note.writtenAt;
      return;
    case 'gezinsplan.PlanAgreed':
      plan.status = 'agreed';
      plan.firstAgreedAt = plan.firstAgreedAt ?? event.data.agreedAt;
      return;
    case 'gezinsplan.PlanVersionOpened':
      plan.status = 'draft';
      return;
    case 'gezinsplan.PlanClosed':
      plan.status = 'closed';
      return;
    default:
      return;
  }
}
