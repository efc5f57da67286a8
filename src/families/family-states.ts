import { Inject, Injectable } from '@nestjs/common';
import {
  AggregateNotFoundError,
  AggregateRepository,
} from '#libs/aggregates/aggregate-repository.js';
import { familyDecider } from './family.decide.js';
import type { FamilyState } from './family.evolve.js';

/**
 * A family's state as its stream says (the write side: a read model could be a step behind a
 * command). What other capabilities' commands read of a family, without knowing how it is kept.
 */
@Injectable()
export class FamilyStates {
  constructor(@Inject(AggregateRepository) private readonly repository: AggregateRepository) {}

  /** Undefined while no family with this id was registered. */
  async find(familyId: string): Promise<FamilyState | undefined> {
    return (await this.repository.loadState(familyDecider, familyId))?.state;
  }

  async get(familyId: string): Promise<FamilyState> {
    const state = await this.find(familyId);
    if (!state) throw new AggregateNotFoundError(`family ${familyId} does not exist`);
    return state;
  }
}
