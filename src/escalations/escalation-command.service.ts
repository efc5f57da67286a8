import { Inject, Injectable } from '@nestjs/common';
import { AggregateRepository, type CommandContext } from '#libs/aggregates/aggregate-repository.js';
import { DomainConflict } from '#libs/aggregates/domain-errors.js';
import type { AuthUser } from '#libs/auth/auth-user.js';
import { CLOCK, type Clock } from '#libs/clock/index.js';
import { WrongExpectedVersionError } from '#libs/event-store/errors.js';
import { formatPosition } from '#libs/event-store/position.js';
import { notFound } from '#libs/http/problem-details.js';
import { PersonalDataVault } from '#libs/personal-data/personal-data-vault.js';
import { FamilyType } from '../families/family.aggregate.js';
import { GezinsplanType } from '../plans/plan.aggregate.js';
import { NO_REGIE, type Regie } from '../kernel/regie.js';
import { regieOf } from '../plans/plan.model.js';
import { EscalationAccess } from './escalation-access.js';
import {
  EscalationType,
  type EscalationAggregate,
  type EscalationContext,
} from './escalation.aggregate.js';
import type { Holder } from './escalation.model.js';
import { LADDER, type Ladder } from './ladder.js';

export interface Loaded {
  readonly aggregate: EscalationAggregate;
  readonly access: EscalationAccess;
  readonly ctx: EscalationContext;
}

/**
 * The one path of every escalation command: load it with the family and the plan's regie,
 * decide who the caller is to it (404 when they may not know of it), let the command decide,
 * save with the loaded version, answer with the position.
 */
@Injectable()
export class EscalationCommandService {
  constructor(
    @Inject(AggregateRepository) private readonly repository: AggregateRepository,
    @Inject(PersonalDataVault) private readonly vault: PersonalDataVault,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LADDER) private readonly ladder: Ladder,
  ) {}

  context(): EscalationContext {
    return { now: this.clock.now(), ladder: this.ladder };
  }

  async regie(familyId: string): Promise<Regie> {
    const plans = await this.repository.tryLoad(GezinsplanType, familyId);
    const plan = plans?.plan;
    return plan && plan.status !== 'closed' ? regieOf(plan) : NO_REGIE;
  }

  load(escalationId: string): Promise<EscalationAggregate | undefined> {
    return this.repository.tryLoad(EscalationType, escalationId);
  }

  async run(
    escalationId: string,
    user: AuthUser,
    context: CommandContext,
    decide: (loaded: Loaded) => void | Promise<void>,
  ): Promise<{ position: string }> {
    const aggregate = await this.repository.tryLoad(EscalationType, escalationId);
    const escalation = aggregate?.escalation;
    if (!aggregate || !escalation) throw notFound('No escalation with this id');
    const family = await this.repository.load(FamilyType, escalation.familyId);
    const access = new EscalationAccess(
      escalation,
      family.currentState,
      await this.regie(escalation.familyId),
      user,
    );
    access.assertVisible();
    await decide({ aggregate, access, ctx: this.context() });
    return this.save(aggregate, context);
  }

  async save(
    aggregate: EscalationAggregate,
    context: CommandContext,
  ): Promise<{ position: string }> {
    try {
      const result = await this.repository.save(aggregate, EscalationType, context);
      return { position: formatPosition(result!.position) };
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) {
        throw new DomainConflict(
          'The escalation changed at the same moment; read it again and retry',
        );
      }
      throw error;
    }
  }

  /**
   * Who holds the next level at once: a procesregisseur the family already has takes level 1;
   * level 2 waits for the appointment of a brandpuntfunctionaris.
   */
  async nextHolder(escalation: { familyId: string; level: number }): Promise<Holder | null> {
    if (escalation.level !== 0) return null;
    return (await this.regie(escalation.familyId)).procesregisseur;
  }

  /** Free texts about a family (descriptions, reasons, decisions) are sealed with its key. */
  seal(familyId: string, text: string): Promise<string> {
    return this.vault.seal(familyId, text);
  }
}
