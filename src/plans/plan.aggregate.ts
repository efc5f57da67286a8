import {
  EventSourcedAggregate,
  type AggregateType,
} from '#libs/aggregates/event-sourced-aggregate.js';
import type { Sealed } from '#libs/personal-data/sealed.js';
import type { RegieRole } from '../kernel/regie.js';
import {
  decidePlan,
  type DecisionContext,
  type GoalChange,
  type NewAction,
  type NewGoal,
  type NewNote,
  type PlanCommand,
} from './plan.decide.js';
import { planDecider } from './plan.decide.js';
import type { PlanEvent } from './plan.events.js';
import { evolvePlan, INITIAL_PLAN_STATE, type PlanState } from './plan.evolve.js';
import type { ClosureReason, Party, Plan } from './plan.model.js';
import type { ProfessionalRef } from './professional-ref.js';

export type { DecisionContext } from './plan.decide.js';

/**
 * A family's plans in memory: state, version and the events not yet stored, over the pure
 * decider (plan.decide.ts) and fold (plan.evolve.ts). Commands over HTTP go through the
 * command pipeline with the decider itself; this wrapper earns its place where a history is
 * built in process (the benchmark's generator, tests), with texts sealed beforehand.
 * Stream `gezinsplan-<familyId>`.
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

  decide(command: PlanCommand<Sealed>, ctx: DecisionContext): void {
    for (const event of decidePlan(command, this.state, ctx)) this.apply(event);
  }

  open(planId: string, ctx: DecisionContext): void {
    this.decide({ type: 'OpenPlan', familyId: this.id, planId }, ctx);
  }

  addGoal(goal: NewGoal<Sealed>, ctx: DecisionContext): void {
    this.decide({ type: 'AddGoal', goal }, ctx);
  }

  changeGoal(goalId: string, change: GoalChange, ctx: DecisionContext): void {
    this.decide({ type: 'ChangeGoal', goalId, change }, ctx);
  }

  addAction(action: NewAction<Sealed>, ctx: DecisionContext): void {
    this.decide({ type: 'AddAction', action }, ctx);
  }

  completeAction(actionId: string, ctx: DecisionContext): void {
    this.decide({ type: 'CompleteAction', actionId }, ctx);
  }

  addNote(note: NewNote<Sealed>, ctx: DecisionContext): void {
    this.decide({ type: 'AddNote', note }, ctx);
  }

  sign(party: Party, signer: { userId: string; organisation: string }, ctx: DecisionContext) {
    this.decide({ type: 'SignPlan', party, signer }, ctx);
  }

  assignRegie(role: RegieRole, professional: ProfessionalRef, ctx: DecisionContext): void {
    this.decide({ type: 'AssignRegie', role, professional }, ctx);
  }

  close(reason: ClosureReason, ctx: DecisionContext): void {
    this.decide({ type: 'ClosePlan', reason }, ctx);
  }
}

export const GezinsplanType: AggregateType<Gezinsplan> = {
  category: planDecider.category,
  snapshotVersion: planDecider.snapshotVersion,
  create: (familyId) => new Gezinsplan(familyId),
};
