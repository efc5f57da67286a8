import { Inject, Injectable } from '@nestjs/common';
import { AggregateRepository } from '../../libs/aggregates/aggregate-repository.js';
import { FamilyRegie } from '../families/family-regie.port.js';
import { NO_REGIE, type Regie } from '../kernel/regie.js';
import { GezinsplanType } from './plan.aggregate.js';
import { regieOf } from './plan.model.js';

/** The regie from the plan's stream (a read model could be a step behind a command). */
@Injectable()
export class PlanFamilyRegie extends FamilyRegie {
  constructor(@Inject(AggregateRepository) private readonly repository: AggregateRepository) {
    super();
  }

  async of(familyId: string): Promise<Regie> {
    const plan = (await this.repository.tryLoad(GezinsplanType, familyId))?.plan;
    return plan && plan.status !== 'closed' ? regieOf(plan) : NO_REGIE;
  }
}
