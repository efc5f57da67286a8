import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DomainRuleViolation } from '#libs/aggregates/domain-errors.js';
import { FamilyStates } from '../families/family-states.js';
import { findMember } from '../families/family.evolve.js';
import { PlanStates } from '../plans/plan-states.js';
import { regieOf } from '../plans/plan.model.js';
import { intakeOnly } from './concern-access.js';
import { actorOf, ConcernCommandService, ConcernStepCommand } from './concern.command.js';
import type {
  ConcernFamilyDto,
  ConcernReasonDto,
  ContactAttemptDto,
  LinkConcernDto,
} from './dto/concern-commands.dto.js';

export class TakeUpConcernCommand extends ConcernStepCommand<undefined> {}
export class LinkConcernCommand extends ConcernStepCommand<LinkConcernDto> {}
export class RejectMatchCommand extends ConcernStepCommand<ConcernFamilyDto> {}
export class RecordContactAttemptCommand extends ConcernStepCommand<
  ContactAttemptDto,
  { attemptId: string; position: string }
> {}
export class DismissConcernCommand extends ConcernStepCommand<ConcernReasonDto> {}
export class ReopenConcernCommand extends ConcernStepCommand<ConcernReasonDto> {}
export class LiftSafetyRestrictionCommand extends ConcernStepCommand<undefined> {}

@CommandHandler(TakeUpConcernCommand)
export class TakeUpConcernHandler implements ICommandHandler<TakeUpConcernCommand> {
  constructor(@Inject(ConcernCommandService) private readonly service: ConcernCommandService) {}

  async execute({ concernId, user, context }: TakeUpConcernCommand) {
    return this.service.asIntake(
      { concernId, user, context },
      { type: 'TakeUp', by: actorOf(user) },
    );
  }
}

/** Linked to a known family: its casusregisseur (if any) is told at once. */
@CommandHandler(LinkConcernCommand)
export class LinkConcernHandler implements ICommandHandler<LinkConcernCommand> {
  constructor(
    @Inject(ConcernCommandService) private readonly service: ConcernCommandService,
    @Inject(FamilyStates) private readonly families: FamilyStates,
    @Inject(PlanStates) private readonly plans: PlanStates,
  ) {}

  async execute({ concernId, user, context, body }: LinkConcernCommand) {
    const memberId = body.memberId ?? null;
    const { position } = await this.service.run(
      concernId,
      { type: 'Link', familyId: body.familyId, memberId, by: actorOf(user) },
      context,
      async (state) => {
        intakeOnly(user, state);
        const family = await this.families.find(body.familyId);
        if (!family?.registered) {
          throw new DomainRuleViolation('No family with this id', 'familyId');
        }
        const member = memberId === null ? undefined : findMember(family, memberId);
        if (memberId !== null && member?.status !== 'current') {
          throw new DomainRuleViolation('No current member of this family', 'memberId');
        }
        const plan = await this.plans.active(body.familyId);
        return {
          casusregisseurId: plan ? (regieOf(plan).casusregisseur?.professionalId ?? null) : null,
        };
      },
    );
    return { position };
  }
}

@CommandHandler(RejectMatchCommand)
export class RejectMatchHandler implements ICommandHandler<RejectMatchCommand> {
  constructor(@Inject(ConcernCommandService) private readonly service: ConcernCommandService) {}

  async execute({ concernId, user, context, body }: RejectMatchCommand) {
    return this.service.asIntake(
      { concernId, user, context },
      { type: 'RejectMatch', familyId: body.familyId, by: actorOf(user) },
    );
  }
}

@CommandHandler(RecordContactAttemptCommand)
export class RecordContactAttemptHandler implements ICommandHandler<RecordContactAttemptCommand> {
  constructor(@Inject(ConcernCommandService) private readonly service: ConcernCommandService) {}

  async execute({ concernId, user, context, body }: RecordContactAttemptCommand) {
    const attemptId = randomUUID();
    const { position } = await this.service.asIntake(
      { concernId, user, context },
      {
        type: 'RecordContactAttempt',
        attemptId,
        kind: body.kind,
        outcome: body.outcome,
        ...(body.note === undefined ? {} : { note: body.note }),
        by: actorOf(user),
      },
    );
    return { attemptId, position };
  }
}

@CommandHandler(DismissConcernCommand)
export class DismissConcernHandler implements ICommandHandler<DismissConcernCommand> {
  constructor(@Inject(ConcernCommandService) private readonly service: ConcernCommandService) {}

  async execute({ concernId, user, context, body }: DismissConcernCommand) {
    return this.service.asIntake(
      { concernId, user, context },
      { type: 'Dismiss', reason: body.reason, by: actorOf(user) },
    );
  }
}

@CommandHandler(ReopenConcernCommand)
export class ReopenConcernHandler implements ICommandHandler<ReopenConcernCommand> {
  constructor(@Inject(ConcernCommandService) private readonly service: ConcernCommandService) {}

  async execute({ concernId, user, context, body }: ReopenConcernCommand) {
    return this.service.asIntake(
      { concernId, user, context },
      { type: 'Reopen', reason: body.reason, by: actorOf(user) },
    );
  }
}

/** Intake lets the subject see a safety concern in their inzage and access log. */
@CommandHandler(LiftSafetyRestrictionCommand)
export class LiftSafetyRestrictionHandler implements ICommandHandler<LiftSafetyRestrictionCommand> {
  constructor(@Inject(ConcernCommandService) private readonly service: ConcernCommandService) {}

  async execute({ concernId, user, context }: LiftSafetyRestrictionCommand) {
    return this.service.asIntake(
      { concernId, user, context },
      { type: 'LiftSafetyRestriction', by: actorOf(user) },
    );
  }
}
