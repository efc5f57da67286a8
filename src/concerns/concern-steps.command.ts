import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DomainRuleViolation } from '#libs/aggregates/domain-errors.js';
import type { AuthUser } from '#libs/auth/auth-user.js';
import { notFound } from '#libs/http/problem-details.js';
import { FamilyStates } from '../families/family-states.js';
import { findMember } from '../families/family.evolve.js';
import { PlanStates } from '../plans/plan-states.js';
import { regieOf } from '../plans/plan.model.js';
import { assertIntake } from './concern-access.js';
import { actorOf, ConcernCommandService, ConcernStepCommand } from './concern.command.js';
import type { ConcernState } from './concern.evolve.js';
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

/** Intake of the concern's team only; a concern never filed or destroyed is unknown to all. */
export const intakeOnly =
  (user: AuthUser) =>
  ({ concern }: ConcernState) => {
    if (!concern || concern.status === 'destroyed') throw notFound('No such concern');
    assertIntake(user, { teamId: concern.teamId, reporterId: concern.reporter.professionalId });
  };

@CommandHandler(TakeUpConcernCommand)
export class TakeUpConcernHandler implements ICommandHandler<TakeUpConcernCommand> {
  constructor(@Inject(ConcernCommandService) private readonly service: ConcernCommandService) {}

  async execute({ concernId, user, context }: TakeUpConcernCommand) {
    const by = actorOf(user);
    const { position } = await this.service.run(
      concernId,
      { type: 'TakeUp', by },
      context,
      intakeOnly(user),
    );
    return { position };
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
        intakeOnly(user)(state);
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
    const { position } = await this.service.run(
      concernId,
      { type: 'RejectMatch', familyId: body.familyId, by: actorOf(user) },
      context,
      intakeOnly(user),
    );
    return { position };
  }
}

@CommandHandler(RecordContactAttemptCommand)
export class RecordContactAttemptHandler implements ICommandHandler<RecordContactAttemptCommand> {
  constructor(@Inject(ConcernCommandService) private readonly service: ConcernCommandService) {}

  async execute({ concernId, user, context, body }: RecordContactAttemptCommand) {
    const attemptId = randomUUID();
    const { position } = await this.service.run(
      concernId,
      {
        type: 'RecordContactAttempt',
        attemptId,
        kind: body.kind,
        outcome: body.outcome,
        ...(body.note === undefined ? {} : { note: body.note }),
        by: actorOf(user),
      },
      context,
      intakeOnly(user),
    );
    return { attemptId, position };
  }
}

@CommandHandler(DismissConcernCommand)
export class DismissConcernHandler implements ICommandHandler<DismissConcernCommand> {
  constructor(@Inject(ConcernCommandService) private readonly service: ConcernCommandService) {}

  async execute({ concernId, user, context, body }: DismissConcernCommand) {
    const { position } = await this.service.run(
      concernId,
      { type: 'Dismiss', reason: body.reason, by: actorOf(user) },
      context,
      intakeOnly(user),
    );
    return { position };
  }
}

@CommandHandler(ReopenConcernCommand)
export class ReopenConcernHandler implements ICommandHandler<ReopenConcernCommand> {
  constructor(@Inject(ConcernCommandService) private readonly service: ConcernCommandService) {}

  async execute({ concernId, user, context, body }: ReopenConcernCommand) {
    const { position } = await this.service.run(
      concernId,
      { type: 'Reopen', reason: body.reason, by: actorOf(user) },
      context,
      intakeOnly(user),
    );
    return { position };
  }
}

/** Intake lets the subject see a safety concern in their inzage and access log. */
@CommandHandler(LiftSafetyRestrictionCommand)
export class LiftSafetyRestrictionHandler implements ICommandHandler<LiftSafetyRestrictionCommand> {
  constructor(@Inject(ConcernCommandService) private readonly service: ConcernCommandService) {}

  async execute({ concernId, user, context }: LiftSafetyRestrictionCommand) {
    const { position } = await this.service.run(
      concernId,
      { type: 'LiftSafetyRestriction', by: actorOf(user) },
      context,
      intakeOnly(user),
    );
    return { position };
  }
}
