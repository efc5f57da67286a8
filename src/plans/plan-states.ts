import { Inject, Injectable } from '@nestjs/common';
import { AggregateRepository } from '#libs/aggregates/aggregate-repository.js';
import { planDecider } from './plan.decide.js';
import type { Plan } from './plan.model.js';

/**
 * A family's plan as its stream says (the write side: a read model could be a step behind a
 * command). What other capabilities' commands and timers read of a plan.
 */
@Injectable()
export class PlanStates {
  constructor(@Inject(AggregateRepository) private readonly repository: AggregateRepository) {}

  /** The family's latest plan, closed or not; undefined while none was opened. */
  async latest(familyId: string): Promise<Plan | undefined> {
    return (await this.repository.loadState(planDecider, familyId))?.state.plan;
  }

  /** The plan while it is open (not closed). */
  async active(familyId: string): Promise<Plan | undefined> {
    const plan = await this.latest(familyId);
    return plan && plan.status !== 'closed' ? plan : undefined;
  }
}
