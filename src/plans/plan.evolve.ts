import type { GoalChanged, PlanEvent } from './plan.events.js';
import { NO_REGIE, assignRegie } from '../kernel/regie.js';
import { regieOf, type Plan, type PlanVersionSummary } from './plan.model.js';

/** Every plan a family has had lives in one stream; `plan` is the current or the last one. */
export interface PlanState {
  readonly plan?: Plan;
}

export const INITIAL_PLAN_STATE: PlanState = {};

/**
 * Changes to what the family and organisations agreed on (goals, their dates and lifecycle,
 * actions) open a new version once agreed. Recording progress (notes, completed actions,
 * achievement, a goal reaching an outcome) does not: it is the agreed plan being carried out.
 */
export function isContentChange(event: PlanEvent<string>): boolean {
  switch (event.type) {
    case 'gezinsplan.GoalAdded':
    case 'gezinsplan.ActionAdded':
      return true;
    case 'gezinsplan.GoalChanged':
      return changesAgreedContent(event.data);
    default:
      return false;
  }
}

function changesAgreedContent(change: GoalChanged['data']): boolean {
  return (
    change.targetDate !== undefined ||
    change.lifecycleStatus === 'active' ||
    change.lifecycleStatus === 'cancelled' ||
    change.lifecycleStatus === 'proposed'
  );
}

function withCurrentVersion(plan: Plan, update: Partial<PlanVersionSummary>): PlanVersionSummary[] {
  return plan.versions.map((v) => (v.version === plan.version ? { ...v, ...update } : v));
}

function evolveOpenPlan(plan: Plan, event: PlanEvent): Plan {
  // A content change to a draft invalidates signatures given to the earlier content.
  const signatures = isContentChange(event) ? [] : plan.signatures;
  switch (event.type) {
    case 'gezinsplan.GoalAdded':
      return { ...plan, signatures, goals: [...plan.goals, event.data.goal] };
    case 'gezinsplan.GoalChanged': {
      const { goalId, lifecycleStatus, achievementStatus, targetDate } = event.data;
      const goals = plan.goals.map((g) =>
        g.goalId === goalId
          ? {
              ...g,
              lifecycleStatus: lifecycleStatus ?? g.lifecycleStatus,
              achievementStatus: achievementStatus ?? g.achievementStatus,
              targetDate: targetDate ?? g.targetDate,
            }
          : g,
      );
      return { ...plan, signatures, goals };
    }
    case 'gezinsplan.ActionAdded':
      return { ...plan, signatures, actions: [...plan.actions, event.data.action] };
    case 'gezinsplan.ActionCompleted': {
      const { actionId, completedAt } = event.data;
      const actions = plan.actions.map((a) =>
        a.actionId === actionId ? { ...a, status: 'done' as const, completedAt } : a,
      );
      return { ...plan, actions, lastProgressAt: completedAt };
    }
    case 'gezinsplan.ProgressNoteAdded': {
      const { note } = event.data;
      const lastEvaluationAt = note.evaluation ? note.writtenAt : plan.lastEvaluationAt;
      return {
        ...plan,
        notes: [...plan.notes, note],
        lastEvaluationAt,
        lastProgressAt: note.writtenAt,
      };
    }
    case 'gezinsplan.RegieAssigned':
      return { ...plan, regie: assignRegie(regieOf(plan), event.data.role, event.data.holder) };
    case 'gezinsplan.CasusregieVacant':
      return { ...plan, regie: { ...regieOf(plan), casusregieVacantSince: event.data.since } };
    case 'gezinsplan.PlanSigned': {
      const { party, signedBy, signedAt } = event.data;
      return { ...plan, signatures: [...plan.signatures, { party, signedBy, signedAt }] };
    }
    case 'gezinsplan.PlanAgreed':
      return {
        ...plan,
        status: 'agreed',
        versions: withCurrentVersion(plan, { status: 'agreed', agreedAt: event.data.agreedAt }),
        firstAgreedAt: plan.firstAgreedAt ?? event.data.agreedAt,
        lastProgressAt: event.data.agreedAt,
      };
    case 'gezinsplan.PlanVersionOpened':
      return {
        ...plan,
        status: 'draft',
        version: event.data.version,
        signatures: [],
        versions: [
          ...plan.versions,
          { version: event.data.version, status: 'draft', agreedAt: null },
        ],
      };
    case 'gezinsplan.PlanClosed':
      return {
        ...plan,
        status: 'closed',
        closedAt: event.data.closedAt,
        closureReason: event.data.reason,
        versions: plan.versions.map((v) => (v.status === 'draft' ? { ...v, status: 'closed' } : v)),
      };
    case 'gezinsplan.PlanOpened':
      return plan;
  }
}

/** Pure fold: the aggregate, the projection and the property tests all use it. */
export function evolvePlan(state: PlanState, event: PlanEvent): PlanState {
  if (event.type === 'gezinsplan.PlanOpened') {
    return {
      plan: {
        planId: event.data.planId,
        status: 'draft',
        version: 1,
        openedAt: event.data.openedAt,
        goals: [],
        actions: [],
        notes: [],
        signatures: [],
        versions: [{ version: 1, status: 'draft', agreedAt: null }],
        firstAgreedAt: null,
        lastEvaluationAt: null,
        closedAt: null,
        closureReason: null,
        regie: NO_REGIE,
        lastProgressAt: null,
      },
    };
  }
  if (!state.plan || state.plan.planId !== event.data.planId) return state;
  return { plan: evolveOpenPlan(state.plan, event) };
}
