import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { AggregateRepository } from '#libs/aggregates/aggregate-repository.js';
import { GezinsplanType } from '../plans/plan.aggregate.js';
import type { ProfessionalRefDto } from '../plans/dto/professional-ref.dto.js';
import { resolveProfessional } from '../plans/professional-ref.js';
import { FamilyType } from '../families/family.aggregate.js';
import type {
  EscalateDto,
  ReopenDto,
  ResolveDto,
  WithdrawDto,
} from './dto/escalation-commands.dto.js';
import { EscalationCommandService } from './escalation-command.service.js';
import { EscalationStepCommand } from './escalation-step.command.js';

export class AcknowledgeCommand extends EscalationStepCommand {}
export class EscalateCommand extends EscalationStepCommand<EscalateDto> {}
export class AppointCommand extends EscalationStepCommand<ProfessionalRefDto> {}
export class ResolveCommand extends EscalationStepCommand<ResolveDto> {}
export class WithdrawCommand extends EscalationStepCommand<WithdrawDto> {}
export class ReopenCommand extends EscalationStepCommand<ReopenDto> {}

@CommandHandler(AcknowledgeCommand)
export class AcknowledgeHandler implements ICommandHandler<AcknowledgeCommand> {
  constructor(
    @Inject(EscalationCommandService) private readonly service: EscalationCommandService,
  ) {}

  execute({ escalationId, user, context }: AcknowledgeCommand) {
    return this.service.run(escalationId, user, context, ({ aggregate, access, ctx }) => {
      access.assertMayAcknowledge();
      aggregate.acknowledge(ctx);
    });
  }
}

@CommandHandler(EscalateCommand)
export class EscalateHandler implements ICommandHandler<EscalateCommand> {
  constructor(
    @Inject(EscalationCommandService) private readonly service: EscalationCommandService,
  ) {}

  execute({ escalationId, user, context, body }: EscalateCommand) {
    return this.service.run(escalationId, user, context, async ({ aggregate, access, ctx }) => {
      access.assertMayEscalate();
      const e = aggregate.escalation!;
      const reason = await this.service.seal(e.familyId, body.reason);
      aggregate.escalate(reason, await this.service.nextHolder(e), false, ctx);
    });
  }
}

/** Appoints the independent holder of level 1 or 2 (invariant 3: not involved in the care). */
@CommandHandler(AppointCommand)
export class AppointHandler implements ICommandHandler<AppointCommand> {
  constructor(
    @Inject(EscalationCommandService) private readonly service: EscalationCommandService,
    @Inject(AggregateRepository) private readonly repository: AggregateRepository,
  ) {}

  execute({ escalationId, user, context, body }: AppointCommand) {
    return this.service.run(escalationId, user, context, async ({ aggregate, access, ctx }) => {
      access.assertMayAppoint();
      const { familyId } = aggregate.escalation!;
      const family = (await this.repository.load(FamilyType, familyId)).currentState;
      const plan = (await this.repository.tryLoad(GezinsplanType, familyId))?.plan;
      const id = body.professionalId;
      const independence = {
        onCaseTeam: family.caseTeam.some((p) => p.professionalId === id),
        holdsAction:
          plan?.status !== 'closed' &&
          (plan?.actions.some(
            (a) =>
              a.status === 'open' && a.assignee.kind === 'professional' && a.assignee.id === id,
          ) ??
            false),
      };
      aggregate.appoint(resolveProfessional(body, family.caseTeam), independence, ctx);
    });
  }
}

@CommandHandler(ResolveCommand)
export class ResolveHandler implements ICommandHandler<ResolveCommand> {
  constructor(
    @Inject(EscalationCommandService) private readonly service: EscalationCommandService,
  ) {}

  execute({ escalationId, user, context, body }: ResolveCommand) {
    return this.service.run(escalationId, user, context, async ({ aggregate, access, ctx }) => {
      access.assertMayClose();
      aggregate.resolve(await this.service.seal(aggregate.escalation!.familyId, body.outcome), ctx);
    });
  }
}

@CommandHandler(WithdrawCommand)
export class WithdrawHandler implements ICommandHandler<WithdrawCommand> {
  constructor(
    @Inject(EscalationCommandService) private readonly service: EscalationCommandService,
  ) {}

  execute({ escalationId, user, context, body }: WithdrawCommand) {
    return this.service.run(escalationId, user, context, async ({ aggregate, access, ctx }) => {
      access.assertMayClose();
      aggregate.withdraw(await this.service.seal(aggregate.escalation!.familyId, body.reason), ctx);
    });
  }
}

@CommandHandler(ReopenCommand)
export class ReopenHandler implements ICommandHandler<ReopenCommand> {
  constructor(
    @Inject(EscalationCommandService) private readonly service: EscalationCommandService,
  ) {}

  execute({ escalationId, user, context, body }: ReopenCommand) {
    return this.service.run(escalationId, user, context, async ({ aggregate, access, ctx }) => {
      access.assertMayReopen();
      aggregate.reopen(await this.service.seal(aggregate.escalation!.familyId, body.reason), ctx);
    });
  }
}
