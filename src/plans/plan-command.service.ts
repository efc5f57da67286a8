import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/app.config.js';
import {
  AggregateRepository,
  type CommandContext,
} from '../../libs/aggregates/aggregate-repository.js';
import { StaleVersion } from '../../libs/aggregates/domain-errors.js';
import type { AuthUser } from '../../libs/auth/auth-user.js';
import { CLOCK, type Clock } from '../../libs/clock/index.js';
import { formatPosition } from '../../libs/event-store/position.js';
import { ifMatchAllows, parseIfMatch } from '../../libs/http/if-match.js';
import { PersonalDataVault } from '../../libs/personal-data/personal-data-vault.js';
import { FamilyType } from '../families/family.aggregate.js';
import { FamilyActors } from '../families/family-actors.js';
import { familyContext } from './family-context.js';
import { GezinsplanType, type DecisionContext, type Gezinsplan } from './plan.aggregate.js';
import { NO_REGIE } from '../kernel/regie.js';
import { regieOf } from './plan.model.js';

/** Who asks, for which family, and (optionally) on which version of the plan they based it. */
export interface PlanCommandInput {
  readonly familyId: string;
  readonly user: AuthUser;
  readonly context: CommandContext;
  readonly ifMatch?: string;
}

export const etagOf = (streamVersion: number) => `"${streamVersion}"`;

/**
 * The one path every plan command takes: load the family and its plans, check who acts (403 for
 * those who may only know of the family, 404 for outsiders), honour If-Match, decide, save with
 * the loaded version, answer with the position.
 */
@Injectable()
export class PlanCommandService {
  constructor(
    @Inject(AggregateRepository) private readonly repository: AggregateRepository,
    @Inject(PersonalDataVault) private readonly vault: PersonalDataVault,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(FamilyActors) private readonly actors: FamilyActors,
  ) {}

  async run(
    input: PlanCommandInput,
    decide: (plans: Gezinsplan, ctx: DecisionContext) => void,
  ): Promise<{ position: string; plans: Gezinsplan }> {
    // A malformed header is the client's mistake (400), whatever the plan's version.
    const condition = input.ifMatch === undefined ? undefined : parseIfMatch(input.ifMatch);
    const family = await this.repository.load(FamilyType, input.familyId);
    const plans =
      (await this.repository.tryLoad(GezinsplanType, input.familyId)) ??
      GezinsplanType.create(input.familyId);
    const active = plans.plan && plans.plan.status !== 'closed' ? plans.plan : undefined;
    await this.actors.assertActs(
      input.familyId,
      family.currentState,
      input.user,
      active ? regieOf(active) : NO_REGIE,
    );
    const current = plans.version >= 0 ? etagOf(plans.version) : undefined;
    if (condition && !ifMatchAllows(condition, current)) {
      throw new StaleVersion(
        `The plan changed since you read it (it is now at ${etagOf(plans.version)}); reload it`,
      );
    }
    decide(plans, {
      family: await familyContext(family.currentState, this.vault),
      now: this.clock.now(),
      actorId: input.user.sub,
      maxActiveGoals: this.config.MAX_ACTIVE_GOALS,
    });
    const result = await this.repository.save(plans, GezinsplanType, input.context);
    return { position: formatPosition(result!.position), plans };
  }

  /** Free texts of a plan are personal data of the family: sealed with the family's key. */
  seal(familyId: string, text: string): Promise<string> {
    return this.vault.seal(familyId, text);
  }
}
