/*
 * What the policy monitor counts, folded straight from the events. It reads the family, team,
 * plan and escalation events through the consumer's view declared here (type names and payload
 * fields are the published contract), not through the producers' types or read models.
 */

export type MonitorTeamEvent = {
  type: 'team.TeamCreated';
  data: { teamId: string; wijk: string; stadsdeel: string };
};

export type MonitorFamilyEvent = {
  type: 'family.FamilyRegistered';
  data: { familyId: string; teamId: string };
};

/** The plan events that move a figure; every plan event carries its planId. */
export type MonitorPlanEvent =
  | { type: 'gezinsplan.PlanOpened'; data: { planId: string; openedAt: string } }
  | {
      type: 'gezinsplan.GoalAdded';
      data: { planId: string; goal: { goalId: string; lifecycleStatus: string } };
    }
  | {
      type: 'gezinsplan.GoalChanged';
      data: { planId: string; goalId: string; lifecycleStatus?: string };
    }
  | { type: 'gezinsplan.PlanAgreed'; data: { planId: string; agreedAt: string } }
  | { type: 'gezinsplan.PlanVersionOpened'; data: { planId: string } }
  | { type: 'gezinsplan.PlanClosed'; data: { planId: string } };

export type MonitorEscalationEvent =
  | {
      type: 'escalation.SignalRaised';
      data: { escalationId: string; teamId: string; raisedAt: string };
    }
  | { type: 'escalation.Escalated'; data: { escalationId: string; toLevel: number } }
  | { type: 'escalation.Reopened'; data: { escalationId: string; level: number } }
  | { type: 'escalation.Resolved' | 'escalation.Withdrawn'; data: { escalationId: string } };

export const MONITOR_EVENT_TYPES = [
  'team.TeamCreated',
  'family.FamilyRegistered',
  'gezinsplan.PlanOpened',
  'gezinsplan.GoalAdded',
  'gezinsplan.GoalChanged',
  'gezinsplan.PlanAgreed',
  'gezinsplan.PlanVersionOpened',
  'gezinsplan.PlanClosed',
  'escalation.SignalRaised',
  'escalation.Escalated',
  'escalation.Reopened',
  'escalation.Resolved',
  'escalation.Withdrawn',
] as const satisfies ReadonlyArray<
  (MonitorTeamEvent | MonitorFamilyEvent | MonitorPlanEvent | MonitorEscalationEvent)['type']
>;

/** A family's current (or last) plan, as far as the monitor counts it. */
export interface PlanFacts {
  readonly planId: string;
  /** ISO instant; null when the event's was no date (such a plan is in no month). */
  readonly openedAt: string | null;
  readonly status: string;
  readonly firstAgreedAt: string | null;
  readonly goalsAchieved: number;
  readonly goalsAssessed: number;
}

export interface EscalationFacts {
  /** The team the signal was raised with (not necessarily the family's now). */
  readonly teamId: string;
  readonly raisedAt: string | null;
  readonly level: number;
  readonly open: boolean;
}

/** A goal counts as assessed in these lifecycles (the base of the share achieved). */
const ASSESSED = new Set(['achieved', 'not_achieved', 'active']);

export const instant = (value: string | null | undefined): string | null => {
  const ms = value == null ? NaN : Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
};

const achieved = (lifecycles: readonly string[]) =>
  lifecycles.filter((l) => l === 'achieved').length;
const assessed = (lifecycles: readonly string[]) =>
  lifecycles.filter((l) => ASSESSED.has(l)).length;

/**
 * The goals of the current plan that a fold reads or changes: per goal id, the lifecycle of each
 * goal with that id (the plan document would hold a goal added twice twice). `lookup` gives
 * what is stored for an id not met yet: undefined when the plan has no such goal.
 */
export interface PlanGoals {
  lookup(goalId: string): readonly string[] | undefined;
  set(goalId: string, lifecycles: readonly string[]): void;
  /** The plan was replaced: none of the stored goals are its goals. */
  clear(): void;
}

/**
 * One plan event folded into the family's plan facts, as plans/plan.evolve.ts folds the plan
 * view: PlanOpened replaces whatever plan the stream had, an event of another plan changes
 * nothing, and the rest apply whatever the plan's status (as evolvePlan does).
 */
export function foldPlanFacts(
  plan: PlanFacts | null,
  goals: PlanGoals,
  event: MonitorPlanEvent,
): PlanFacts | null {
  if (event.type === 'gezinsplan.PlanOpened') {
    goals.clear();
    return {
      planId: event.data.planId,
      openedAt: instant(event.data.openedAt),
      status: 'draft',
      firstAgreedAt: null,
      goalsAchieved: 0,
      goalsAssessed: 0,
    };
  }
  if (!plan || plan.planId !== event.data.planId) return plan;
  switch (event.type) {
    case 'gezinsplan.GoalAdded': {
      const { goalId, lifecycleStatus } = event.data.goal;
      goals.set(goalId, [...(goals.lookup(goalId) ?? []), lifecycleStatus]);
      return withGoals(plan, [], [lifecycleStatus]);
    }
    case 'gezinsplan.GoalChanged': {
      const { goalId, lifecycleStatus } = event.data;
      const before = goals.lookup(goalId);
      if (!before || lifecycleStatus == null) return plan;
      const after = before.map(() => lifecycleStatus);
      goals.set(goalId, after);
      return withGoals(plan, before, after);
    }
    case 'gezinsplan.PlanAgreed':
      return {
        ...plan,
        status: 'agreed',
        firstAgreedAt: plan.firstAgreedAt ?? instant(event.data.agreedAt),
      };
    case 'gezinsplan.PlanVersionOpened':
      return { ...plan, status: 'draft' };
    case 'gezinsplan.PlanClosed':
      return { ...plan, status: 'closed' };
  }
}

function withGoals(plan: PlanFacts, before: readonly string[], after: readonly string[]) {
  return {
    ...plan,
    goalsAchieved: plan.goalsAchieved - achieved(before) + achieved(after),
    goalsAssessed: plan.goalsAssessed - assessed(before) + assessed(after),
  };
}

/**
 * One escalation event folded, as escalation_views keeps it: a second SignalRaised restarts the
 * ladder but keeps the first team and moment; the steps apply whatever the status.
 */
export function foldEscalationFacts(
  escalation: EscalationFacts | null,
  event: MonitorEscalationEvent,
): EscalationFacts | null {
  if (event.type === 'escalation.SignalRaised') {
    const { teamId, raisedAt } = event.data;
    return escalation
      ? { ...escalation, level: 0, open: true }
      : { teamId, raisedAt: instant(raisedAt), level: 0, open: true };
  }
  if (!escalation) return null;
  switch (event.type) {
    case 'escalation.Escalated':
      return { ...escalation, level: event.data.toLevel };
    case 'escalation.Reopened':
      return { ...escalation, level: event.data.level, open: true };
    case 'escalation.Resolved':
    case 'escalation.Withdrawn':
      return { ...escalation, open: false };
  }
}
