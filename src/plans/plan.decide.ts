import {
  DomainConflict,
  DomainNotFound,
  DomainRuleViolation,
} from '#libs/aggregates/domain-errors.js';
import {
  defaultConfidentiality,
  type Confidentiality,
  type LifeDomain,
} from '../kernel/life-domains.js';
import { REGIE_HOLDER_FIELD, type RegieRole } from '../kernel/regie.js';
import { missingSignatures, requiredParties, type FamilyContext } from './agreement.js';
import { assertIndependent } from './independence.js';
import type { Decider } from '#libs/deciders/decider.js';
import type {
  ActionAdded,
  DecidedPlanEvent,
  GoalAdded,
  PlanEvent,
  ProgressNoteAdded,
} from './plan.events.js';
import { evolvePlan, INITIAL_PLAN_STATE, isContentChange, type PlanState } from './plan.evolve.js';
import {
  OPEN_LIFECYCLE,
  regieOf,
  sameParty,
  type AchievementStatus,
  type Assignee,
  type AssigneeKind,
  type ClosureReason,
  type GoalLifecycle,
  type Party,
  type Plan,
} from './plan.model.js';
import { resolveProfessional, type ProfessionalRef } from './professional-ref.js';

/** Everything a decision needs besides the plans' state. */
export interface DecisionContext {
  readonly family: FamilyContext;
  readonly now: Date;
  readonly actorId: string;
  readonly maxActiveGoals: number;
}

export interface NewGoal<Text extends string = string> {
  goalId: string;
  familyWording: Text;
  professionalWording: Text | null;
  concerns: string[];
  lifeDomain: LifeDomain;
  targetDate: string | null;
  confidentiality?: Confidentiality;
}

export interface NewAction<Text extends string = string> {
  actionId: string;
  goalId: string;
  description: Text;
  assignee: { kind: AssigneeKind; id: string };
  dueDate: string;
  confidentiality?: Confidentiality;
}

export interface NewNote<Text extends string = string> {
  noteId: string;
  goalId: string | null;
  text: Text;
  confidentiality?: Confidentiality;
  evaluation: boolean;
}

export interface GoalChange {
  lifecycleStatus?: GoalLifecycle;
  achievementStatus?: AchievementStatus;
  targetDate?: string;
}

/**
 * Every command on a family's plans. Texts are plaintext when a command comes in (`string`):
 * the rules see what the family and professionals wrote, and the pipeline seals the events'
 * texts only after the decision, so a refused command seals nothing.
 */
export type PlanCommand<Text extends string = string> =
  | { type: 'OpenPlan'; familyId: string; planId: string }
  | { type: 'AddGoal'; goal: NewGoal<Text> }
  | { type: 'ChangeGoal'; goalId: string; change: GoalChange }
  | { type: 'AddAction'; action: NewAction<Text> }
  | { type: 'CompleteAction'; actionId: string }
  | { type: 'AddNote'; note: NewNote<Text> }
  | { type: 'SignPlan'; party: Party; signer: { userId: string; organisation: string } }
  | { type: 'AssignRegie'; role: RegieRole; professional: ProfessionalRef }
  | { type: 'ClosePlan'; reason: ClosureReason };

const LIFECYCLE_MOVES: Record<GoalLifecycle, readonly GoalLifecycle[]> = {
  proposed: ['active', 'cancelled'],
  active: ['achieved', 'not_achieved', 'cancelled'],
  achieved: [],
  not_achieved: [],
  cancelled: [],
};

/** The plan events that carry no free text: the same before and after sealing. */
type TextFreeEvent = Exclude<PlanEvent, GoalAdded | ActionAdded | ProgressNoteAdded>;

const isOpenGoal = (lifecycle: GoalLifecycle) => OPEN_LIFECYCLE.includes(lifecycle);

/**
 * The family's plans (one stream per family, so "one active plan per family" is decided in
 * one place): the events a command causes, or a domain error. Pure: the same command, state
 * and context always give the same events.
 */
export function decidePlan<Text extends string>(
  command: PlanCommand<Text>,
  state: PlanState,
  ctx: DecisionContext,
): PlanEvent<Text>[] {
  switch (command.type) {
    case 'OpenPlan':
      return openPlan(command.familyId, command.planId, state, ctx);
    case 'AddGoal':
      return addGoal(command.goal, activePlan(state), ctx);
    case 'ChangeGoal':
      return changeGoal(command.goalId, command.change, activePlan(state));
    case 'AddAction':
      return addAction(command.action, activePlan(state), ctx);
    case 'CompleteAction':
      return completeAction(command.actionId, activePlan(state), ctx);
    case 'AddNote':
      return addNote(command.note, activePlan(state), ctx);
    case 'SignPlan':
      return signPlan(command.party, command.signer, state, ctx);
    case 'AssignRegie':
      return assignRegie(command.role, command.professional, activePlan(state), ctx);
    case 'ClosePlan': {
      const { planId } = activePlan(state);
      const closedAt = ctx.now.toISOString();
      return [
        { type: 'gezinsplan.PlanClosed', data: { planId, reason: command.reason, closedAt } },
      ];
    }
  }
}

function openPlan(familyId: string, planId: string, state: PlanState, ctx: DecisionContext) {
  if (state.plan && state.plan.status !== 'closed') {
    throw new DomainConflict('This family already has an active plan: one family, one plan', {
      plan: `/api/v1/families/${familyId}/plan`,
    });
  }
  const openedAt = ctx.now.toISOString();
  return [{ type: 'gezinsplan.PlanOpened' as const, data: { planId, familyId, openedAt } }];
}

function addGoal<Text extends string>(
  goal: NewGoal<Text>,
  plan: Plan,
  ctx: DecisionContext,
): PlanEvent<Text>[] {
  requireCurrentMembers(goal.concerns, ctx.family, 'concerns');
  const open = plan.goals.filter((g) => isOpenGoal(g.lifecycleStatus)).length;
  if (open >= ctx.maxActiveGoals) {
    throw new DomainRuleViolation(
      `A plan has at most ${ctx.maxActiveGoals} active goals: a limited number of concrete goals. ` +
        'Achieve, close or cancel a goal first.',
      'goals',
    );
  }
  return change(plan, {
    type: 'gezinsplan.GoalAdded',
    data: {
      planId: plan.planId,
      goal: {
        ...goal,
        confidentiality: goal.confidentiality ?? defaultConfidentiality(goal.lifeDomain),
        lifecycleStatus: 'proposed',
        achievementStatus: 'in_progress',
        authorId: ctx.actorId,
      },
    },
  });
}

function changeGoal<Text extends string>(
  goalId: string,
  requested: GoalChange,
  plan: Plan,
): PlanEvent<Text>[] {
  const goal = plan.goals.find((g) => g.goalId === goalId);
  if (!goal) throw new DomainNotFound(`No goal ${goalId} in this plan`);
  if (!isOpenGoal(goal.lifecycleStatus)) {
    throw new DomainRuleViolation(
      `The goal is ${goal.lifecycleStatus}; it cannot change`,
      'goalId',
    );
  }
  const next = requested.lifecycleStatus;
  if (
    next &&
    next !== goal.lifecycleStatus &&
    !LIFECYCLE_MOVES[goal.lifecycleStatus].includes(next)
  ) {
    throw new DomainRuleViolation(
      `A goal cannot go from ${goal.lifecycleStatus} to ${next}`,
      'lifecycleStatus',
    );
  }
  // Only what changes goes into the event: an absent field must not read as "cleared".
  const changes = Object.fromEntries(
    Object.entries(requested).filter(([, value]) => value !== undefined),
  ) as GoalChange;
  if (Object.keys(changes).length === 0) {
    throw new DomainRuleViolation('Name at least one field to change', 'goal');
  }
  return change(plan, {
    type: 'gezinsplan.GoalChanged',
    data: { planId: plan.planId, goalId, ...changes },
  });
}

function addAction<Text extends string>(
  action: NewAction<Text>,
  plan: Plan,
  ctx: DecisionContext,
): PlanEvent<Text>[] {
  const goal = plan.goals.find((g) => g.goalId === action.goalId);
  if (!goal) throw new DomainRuleViolation(`No goal ${action.goalId} in this plan`, 'goalId');
  if (!isOpenGoal(goal.lifecycleStatus)) {
    throw new DomainRuleViolation(
      `The goal is ${goal.lifecycleStatus}; it takes no new actions`,
      'goalId',
    );
  }
  return change(plan, {
    type: 'gezinsplan.ActionAdded',
    data: {
      planId: plan.planId,
      action: {
        ...action,
        assignee: resolveAssignee(action.assignee, ctx.family),
        confidentiality: action.confidentiality ?? goal.confidentiality,
        status: 'open',
        completedAt: null,
        authorId: ctx.actorId,
      },
    },
  });
}

function completeAction(actionId: string, plan: Plan, ctx: DecisionContext) {
  const action = plan.actions.find((a) => a.actionId === actionId);
  if (!action) throw new DomainNotFound(`No action ${actionId} in this plan`);
  if (action.status !== 'open') throw new DomainConflict(`The action is already ${action.status}`);
  const completedAt = ctx.now.toISOString();
  return [
    {
      type: 'gezinsplan.ActionCompleted' as const,
      data: { planId: plan.planId, actionId, completedAt },
    },
  ];
}

function addNote<Text extends string>(
  note: NewNote<Text>,
  plan: Plan,
  ctx: DecisionContext,
): PlanEvent<Text>[] {
  const goal = note.goalId ? plan.goals.find((g) => g.goalId === note.goalId) : undefined;
  if (note.goalId && !goal) {
    throw new DomainRuleViolation(`No goal ${note.goalId} in this plan`, 'goalId');
  }
  return [
    {
      type: 'gezinsplan.ProgressNoteAdded',
      data: {
        planId: plan.planId,
        note: {
          ...note,
          confidentiality: note.confidentiality ?? goal?.confidentiality ?? 'case_team',
          writtenAt: ctx.now.toISOString(),
          authorId: ctx.actorId,
        },
      },
    },
  ];
}

/** Records one party's agreement; the last required signature makes the version binding. */
function signPlan(
  party: Party,
  signer: { userId: string; organisation: string },
  state: PlanState,
  ctx: DecisionContext,
): TextFreeEvent[] {
  const plan = activePlan(state);
  if (plan.status === 'agreed')
    throw new DomainConflict(`Version ${plan.version} is already agreed`);
  if (!plan.goals.some((g) => isOpenGoal(g.lifecycleStatus))) {
    throw new DomainRuleViolation(
      'A plan needs at least one goal before it can be agreed',
      'goals',
    );
  }
  if (party.kind === 'organisation' && party.id !== signer.organisation) {
    throw new DomainRuleViolation('You can sign only for your own organisation', 'party');
  }
  if (!requiredParties(plan, ctx.family, ctx.now).some((p) => sameParty(p, party))) {
    throw new DomainRuleViolation('This party does not need to sign this version', 'party');
  }
  if (plan.signatures.some((s) => sameParty(s.party, party))) {
    throw new DomainConflict('This party has already signed this version');
  }
  const signedAt = ctx.now.toISOString();
  const { planId, version } = plan;
  const signed: TextFreeEvent = {
    type: 'gezinsplan.PlanSigned',
    data: { planId, version, party, signedBy: signer.userId, signedAt },
  };
  const after = activePlan(evolvePlan(state, signed));
  if (missingSignatures(after, ctx.family, ctx.now).length > 0) return [signed];
  const agreed: TextFreeEvent = {
    type: 'gezinsplan.PlanAgreed',
    data: { planId, version, agreedAt: signedAt },
  };
  // From its first agreement on, an active plan has exactly one casusregisseur.
  if (plan.firstAgreedAt !== null || regieOf(plan).casusregisseur) return [signed, agreed];
  return [
    signed,
    agreed,
    { type: 'gezinsplan.CasusregieVacant', data: { planId, since: signedAt } },
  ];
}

/**
 * Casusregie goes to a case-team professional; procesregie to an independent one (not on
 * the case team, holding no action: invariant 3). A new holder replaces the old one in one
 * event that names both, so casusregie is never vacant during a handover.
 */
function assignRegie(
  role: RegieRole,
  ref: ProfessionalRef,
  plan: Plan,
  ctx: DecisionContext,
): TextFreeEvent[] {
  const onCaseTeam = ctx.family.caseTeam.some((p) => p.professionalId === ref.professionalId);
  if (role === 'casusregie' && !onCaseTeam) {
    throw new DomainRuleViolation(
      'The casusregisseur must be on the case team: let them join it first',
      'professionalId',
    );
  }
  if (role === 'procesregie') {
    const holdsAction = plan.actions.some(
      (a) =>
        a.status === 'open' &&
        a.assignee.kind === 'professional' &&
        a.assignee.id === ref.professionalId,
    );
    assertIndependent({ onCaseTeam, holdsAction }, 'procesregisseur');
  }
  // Only now: someone off the case team must say who they are, but that is not the first
  // thing to tell a caller who named the wrong person for casusregie.
  const holder = resolveProfessional(ref, ctx.family.caseTeam);
  const previous = regieOf(plan)[REGIE_HOLDER_FIELD[role]];
  if (previous?.professionalId === holder.professionalId) {
    throw new DomainConflict(`This professional already holds ${role}`);
  }
  return [
    {
      type: 'gezinsplan.RegieAssigned',
      data: { planId: plan.planId, role, holder, previous, assignedAt: ctx.now.toISOString() },
    },
  ];
}

function activePlan(state: PlanState): Plan {
  const plan = state.plan;
  if (!plan || plan.status === 'closed') throw new DomainNotFound('This family has no active plan');
  return plan;
}

/** An agreed version is never changed: the first change after agreement opens the next one. */
function change<Text extends string>(plan: Plan, event: PlanEvent<Text>): PlanEvent<Text>[] {
  if (plan.status !== 'agreed' || !isContentChange(event)) return [event];
  const version = plan.version + 1;
  return [{ type: 'gezinsplan.PlanVersionOpened', data: { planId: plan.planId, version } }, event];
}

function requireCurrentMembers(memberIds: readonly string[], family: FamilyContext, field: string) {
  if (memberIds.length === 0) throw new DomainRuleViolation('Name at least one member', field);
  for (const id of memberIds) {
    const member = family.members.find((m) => m.memberId === id);
    if (!member) throw new DomainRuleViolation(`${id} is not a member of this family`, field);
    if (member.status !== 'current') {
      throw new DomainRuleViolation(
        `${id} has left the family and gets no new goals or actions`,
        field,
      );
    }
  }
}

/** Invariant 5: a current member, a registered network member, or a case-team professional. */
function resolveAssignee(
  assignee: { kind: AssigneeKind; id: string },
  family: FamilyContext,
): Assignee {
  switch (assignee.kind) {
    case 'member':
      requireCurrentMembers([assignee.id], family, 'assignee');
      return assignee;
    case 'network':
      if (!family.networkIds.includes(assignee.id)) {
        throw new DomainRuleViolation(`${assignee.id} is not in this family's network`, 'assignee');
      }
      return assignee;
    case 'professional': {
      const professional = family.caseTeam.find((p) => p.professionalId === assignee.id);
      if (!professional) {
        throw new DomainRuleViolation(`${assignee.id} is not on the case team`, 'assignee');
      }
      return { ...assignee, organisation: professional.organisation };
    }
  }
}

/** A family's plans: stream `gezinsplan-<familyId>`, decided and folded by pure functions. */
export const planDecider: Decider<
  PlanState,
  PlanCommand,
  PlanEvent,
  DecidedPlanEvent,
  DecisionContext
> = {
  category: 'gezinsplan',
  // 2: plans carry regie and lastProgressAt.
  snapshotVersion: 2,
  label: 'plan',
  initialState: INITIAL_PLAN_STATE,
  evolve: evolvePlan,
  decide: decidePlan,
};
