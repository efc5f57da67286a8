import type { Decider } from '../../libs/deciders/decider.js';
import { decidePlan, type DecisionContext, type PlanCommand } from './plan.decide.js';
import type { DecidedPlanEvent, PlanEvent } from './plan.events.js';
import { evolvePlan, INITIAL_PLAN_STATE, type PlanState } from './plan.evolve.js';

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
