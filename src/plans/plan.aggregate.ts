import {
  EventSourcedAggregate,
  type AggregateType,
} from '../../libs/aggregates/event-sourced-aggregate.js';
import {
  DomainConflict,
  DomainNotFound,
  DomainRuleViolation,
} from '../../libs/aggregates/domain-errors.js';
import { missingSignatures, requiredParties, type FamilyContext } from './agreement.js';
import type { PlanEvent } from './plan.events.js';
import { evolvePlan, INITIAL_PLAN_STATE, isContentChange, type PlanState } from './plan.evolve.js';
import {
  OPEN_LIFECYCLE,
  sameParty,
  type AchievementStatus,
  type Assignee,
  type AssigneeKind,
  type ClosureReason,
  type GoalLifecycle,
  type Party,
  type Plan,
  regieOf,
} from './plan.model.js';
import {
  defaultConfidentiality,
  type Confidentiality,
  type LifeDomain,
} from '../kernel/life-domains.js';
import { REGIE_HOLDER_FIELD, type RegieRole } from '../kernel/regie.js';
import { assertIndependent } from './independence.js';
import { resolveProfessional, type ProfessionalRef } from './professional-ref.js';

/** Everything a decision needs besides the plan itself. */
export interface DecisionContext {
  readonly family: FamilyContext;
  readonly now: Date;
  readonly actorId: string;
  readonly maxActiveGoals: number;
}

export interface NewGoal {
  goalId: string;
  familyWording: string;
  professionalWording: string | null;
  concerns: string[];
  lifeDomain: LifeDomain;
  targetDate: string | null;
  confidentiality?: Confidentiality;
}

export interface NewAction {
  actionId: string;
  goalId: string;
  description: string;
  assignee: { kind: AssigneeKind; id: string };
  dueDate: string;
  confidentiality?: Confidentiality;
}

export interface GoalChange {
  lifecycleStatus?: GoalLifecycle;
  achievementStatus?: AchievementStatus;
  targetDate?: string;
}

const LIFECYCLE_MOVES: Record<GoalLifecycle, readonly GoalLifecycle[]> = {
  proposed: ['active', 'cancelled'],
  active: ['achieved', 'not_achieved', 'cancelled'],
  achieved: [],
  not_achieved: [],
  cancelled: [],
};

const isOpenGoal = (lifecycle: GoalLifecycle) => OPEN_LIFECYCLE.includes(lifecycle);

/**
 * The family's plans, one stream per family, so "one active plan per family" is decided inside a
 * single aggregate. Stream `gezinsplan-<familyId>`.
 */
export class Gezinsplan extends EventSourcedAggregate<PlanState, PlanEvent> {
  protected initialState(): PlanState {
    return INITIAL_PLAN_STATE;
  }

  protected evolve(state: PlanState, event: PlanEvent): PlanState {
    return evolvePlan(state, event);
  }

  get plan(): Plan | undefined {
    return this.state.plan;
  }

  open(planId: string, now: Date): void {
    const current = this.state.plan;
    if (current && current.status !== 'closed') {
      throw new DomainConflict('This family already has an active plan: one family, one plan', {
        plan: `/api/v1/families/${this.id}/plan`,
      });
    }
    this.apply({
      type: 'gezinsplan.PlanOpened',
      data: { planId, familyId: this.id, openedAt: now.toISOString() },
    });
  }

  addGoal(goal: NewGoal, ctx: DecisionContext): void {
    const plan = this.activePlan();
    this.requireCurrentMembers(goal.concerns, ctx.family, 'concerns');
    const open = plan.goals.filter((g) => isOpenGoal(g.lifecycleStatus)).length;
    if (open >= ctx.maxActiveGoals) {
      throw new DomainRuleViolation(
        `A plan has at most ${ctx.maxActiveGoals} active goals: a limited number of concrete goals. ` +
          'Achieve, close or cancel a goal first.',
        'goals',
      );
    }
    this.change(plan, {
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

  changeGoal(goalId: string, change: GoalChange): void {
    const plan = this.activePlan();
    const goal = plan.goals.find((g) => g.goalId === goalId);
    if (!goal) throw new DomainNotFound(`No goal ${goalId} in this plan`);
    if (!isOpenGoal(goal.lifecycleStatus)) {
      throw new DomainRuleViolation(
        `The goal is ${goal.lifecycleStatus}; it cannot change`,
        'goalId',
      );
    }
    const next = change.lifecycleStatus;
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
      Object.entries(change).filter(([, value]) => value !== undefined),
    ) as GoalChange;
    if (Object.keys(changes).length === 0) {
      throw new DomainRuleViolation('Name at least one field to change', 'goal');
    }
    this.change(plan, {
      type: 'gezinsplan.GoalChanged',
      data: { planId: plan.planId, goalId, ...changes },
    });
  }

  addAction(action: NewAction, ctx: DecisionContext): void {
    const plan = this.activePlan();
    const goal = plan.goals.find((g) => g.goalId === action.goalId);
    if (!goal) throw new DomainRuleViolation(`No goal ${action.goalId} in this plan`, 'goalId');
    if (!isOpenGoal(goal.lifecycleStatus)) {
      throw new DomainRuleViolation(
        `The goal is ${goal.lifecycleStatus}; it takes no new actions`,
        'goalId',
      );
    }
    const assignee = this.resolveAssignee(action.assignee, ctx.family);
    this.change(plan, {
      type: 'gezinsplan.ActionAdded',
      data: {
        planId: plan.planId,
        action: {
          ...action,
          assignee,
          confidentiality: action.confidentiality ?? goal.confidentiality,
          status: 'open',
          completedAt: null,
          authorId: ctx.actorId,
        },
      },
    });
  }

  completeAction(actionId: string, now: Date): void {
    const plan = this.activePlan();
    const action = plan.actions.find((a) => a.actionId === actionId);
    if (!action) throw new DomainNotFound(`No action ${actionId} in this plan`);
    if (action.status !== 'open')
      throw new DomainConflict(`The action is already ${action.status}`);
    this.apply({
      type: 'gezinsplan.ActionCompleted',
      data: { planId: plan.planId, actionId, completedAt: now.toISOString() },
    });
  }

  addNote(
    note: {
      noteId: string;
      goalId: string | null;
      text: string;
      confidentiality?: Confidentiality;
      evaluation: boolean;
    },
    ctx: DecisionContext,
  ): void {
    const plan = this.activePlan();
    const goal = note.goalId ? plan.goals.find((g) => g.goalId === note.goalId) : undefined;
    if (note.goalId && !goal)
      throw new DomainRuleViolation(`No goal ${note.goalId} in this plan`, 'goalId');
    this.apply({
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
    });
  }

  /** Records one party's agreement; the last required signature makes the version binding. */
  sign(party: Party, signer: { userId: string; organisation: string }, ctx: DecisionContext): void {
    const plan = this.activePlan();
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
    const required = requiredParties(plan, ctx.family, ctx.now);
    if (!required.some((p) => sameParty(p, party))) {
      throw new DomainRuleViolation('This party does not need to sign this version', 'party');
    }
    if (plan.signatures.some((s) => sameParty(s.party, party))) {
      throw new DomainConflict('This party has already signed this version');
    }
    const signedAt = ctx.now.toISOString();
    this.apply({
      type: 'gezinsplan.PlanSigned',
      data: {
        planId: plan.planId,
        version: plan.version,
        party,
        signedBy: signer.userId,
        signedAt,
      },
    });
    if (missingSignatures(this.activePlan(), ctx.family, ctx.now).length === 0) {
      this.apply({
        type: 'gezinsplan.PlanAgreed',
        data: { planId: plan.planId, version: plan.version, agreedAt: signedAt },
      });
      // From its first agreement on, an active plan has exactly one casusregisseur.
      if (plan.firstAgreedAt === null && !regieOf(plan).casusregisseur) {
        this.apply({
          type: 'gezinsplan.CasusregieVacant',
          data: { planId: plan.planId, since: signedAt },
        });
      }
    }
  }

  /**
   * Casusregie goes to a case-team professional; procesregie to an independent one (not on
   * the case team, holding no action: invariant 3). A new holder replaces the old one in one
   * event that names both, so casusregie is never vacant during a handover.
   */
  assignRegie(role: RegieRole, ref: ProfessionalRef, ctx: DecisionContext): void {
    const plan = this.activePlan();
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
    this.apply({
      type: 'gezinsplan.RegieAssigned',
      data: { planId: plan.planId, role, holder, previous, assignedAt: ctx.now.toISOString() },
    });
  }

  close(reason: ClosureReason, now: Date): void {
    const plan = this.activePlan();
    this.apply({
      type: 'gezinsplan.PlanClosed',
      data: { planId: plan.planId, reason, closedAt: now.toISOString() },
    });
  }

  private activePlan(): Plan {
    const plan = this.state.plan;
    if (!plan || plan.status === 'closed')
      throw new DomainNotFound('This family has no active plan');
    return plan;
  }

  /** Applies a change; an agreed version is never changed, so the change opens the next one. */
  private change(plan: Plan, event: PlanEvent): void {
    if (plan.status === 'agreed' && isContentChange(event)) {
      this.apply({
        type: 'gezinsplan.PlanVersionOpened',
        data: { planId: plan.planId, version: plan.version + 1 },
      });
    }
    this.apply(event);
  }

  private requireCurrentMembers(
    memberIds: readonly string[],
    family: FamilyContext,
    field: string,
  ) {
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
  private resolveAssignee(
    assignee: { kind: AssigneeKind; id: string },
    family: FamilyContext,
  ): Assignee {
    switch (assignee.kind) {
      case 'member':
        this.requireCurrentMembers([assignee.id], family, 'assignee');
        return assignee;
      case 'network':
        if (!family.networkIds.includes(assignee.id)) {
          throw new DomainRuleViolation(
            `${assignee.id} is not in this family's network`,
            'assignee',
          );
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
}

export const GezinsplanType: AggregateType<Gezinsplan> = {
  category: 'gezinsplan',
  // 2: plans carry regie and lastProgressAt.
  snapshotVersion: 2,
  create: (familyId) => new Gezinsplan(familyId),
};
