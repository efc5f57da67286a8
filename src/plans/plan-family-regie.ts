import { Inject, Injectable } from '@nestjs/common';
import { FamilyRegie } from '../families/family-regie.port.js';
import { NO_REGIE, type Regie } from '../kernel/regie.js';
import { PlanStates } from './plan-states.js';
import { regieOf } from './plan.model.js';

/** The regie from the plan's stream (a read model could be a step behind a command). */
@Injectable()
export class PlanFamilyRegie extends FamilyRegie {
  constructor(@Inject(PlanStates) private readonly plans: PlanStates) {
    super();
  }

  async of(familyId: string): Promise<Regie> {
    const plan = await this.plans.active(familyId);
    return plan ? regieOf(plan) : NO_REGIE;
  }
}
