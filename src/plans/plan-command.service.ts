import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/app.config.js';
import {
  AggregateRepository,
  type CommandContext,
} from '../../libs/aggregates/aggregate-repository.js';
import type { AuthUser } from '../../libs/auth/auth-user.js';
import { CLOCK, type Clock } from '../../libs/clock/index.js';
import { CommandPipeline } from '../../libs/deciders/command-pipeline.js';
import { PersonalDataVault } from '../../libs/personal-data/personal-data-vault.js';
import { FamilyActors } from '../families/family-actors.js';
import { FamilyType } from '../families/family.aggregate.js';
import { NO_REGIE } from '../kernel/regie.js';
import { familyContext } from './family-context.js';
import type { PlanCommand } from './plan.decide.js';
import { planDecider } from './plan.decider.js';
import { regieOf } from './plan.model.js';
import { sealPlanEvent } from './plan.seal.js';

/** Who asks, for which family, and (optionally) on which version of the plan they based it. */
export interface PlanCommandInput {
  readonly familyId: string;
  readonly user: AuthUser;
  readonly context: CommandContext;
  readonly ifMatch?: string;
}

/**
 * What only plans know about running a command through the pipeline: who may act (the
 * family's case team, regisseurs and team lead: 403 for who may only know of the family, 404
 * for the rest), what the rules need of the family, and that texts are sealed with its key.
 */
@Injectable()
export class PlanCommandService {
  constructor(
    @Inject(CommandPipeline) private readonly pipeline: CommandPipeline,
    @Inject(AggregateRepository) private readonly repository: AggregateRepository,
    @Inject(PersonalDataVault) private readonly vault: PersonalDataVault,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(FamilyActors) private readonly actors: FamilyActors,
  ) {}

  run(input: PlanCommandInput, command: PlanCommand) {
    return this.pipeline.run({
      decider: planDecider,
      id: input.familyId,
      command,
      context: input.context,
      ifMatch: input.ifMatch,
      authorize: async (plans) => {
        const family = (await this.repository.load(FamilyType, input.familyId)).currentState;
        const active = plans.plan && plans.plan.status !== 'closed' ? plans.plan : undefined;
        const regie = active ? regieOf(active) : NO_REGIE;
        await this.actors.assertActs(input.familyId, family, input.user, regie);
        return {
          family: await familyContext(family, this.vault),
          now: this.clock.now(),
          actorId: input.user.sub,
          maxActiveGoals: this.config.MAX_ACTIVE_GOALS,
        };
      },
      seal: (event) => sealPlanEvent(event, (text) => this.vault.seal(input.familyId, text)),
    });
  }
}
