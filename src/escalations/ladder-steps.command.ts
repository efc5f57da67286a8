import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { FamilyStates } from '../families/family-states.js';
import { PlanStates } from '../plans/plan-states.js';
import type { ProfessionalRefDto } from '../plans/dto/professional-ref.dto.js';
import { resolveProfessional } from '../plans/professional-ref.js';
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
    return this.service.run(escalationId, user, context, (_, access) => {
      access.assertMayAcknowledge();
      return { type: 'Acknowledge' };
    });
  }
}

@CommandHandler(EscalateCommand)
export class EscalateHandler implements ICommandHandler<EscalateCommand> {
  constructor(
    @Inject(EscalationCommandService) private readonly service: EscalationCommandService,
  ) {}

  execute({ escalationId, user, context, body }: EscalateCommand) {
    return this.service.run(escalationId, user, context, async (e, access) => {
      access.assertMayEscalate();
      const holder = await this.service.nextHolder(e);
      return { type: 'Escalate', reason: body.reason, holder, automatic: false };
    });
  }
}

/** Appoints the independent holder of level 1 or 2 (invariant 3: not involved in the care). */
@CommandHandler(AppointCommand)
export class AppointHandler implements ICommandHandler<AppointCommand> {
  constructor(
    @Inject(EscalationCommandService) private readonly service: EscalationCommandService,
    @Inject(FamilyStates) private readonly families: FamilyStates,
    @Inject(PlanStates) private readonly plans: PlanStates,
  ) {}

  execute({ escalationId, user, context, body }: AppointCommand) {
    return this.service.run(escalationId, user, context, async ({ familyId }, access) => {
      access.assertMayAppoint();
      const family = await this.families.get(familyId);
      const plan = await this.plans.latest(familyId);
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
      return {
        type: 'Appoint' as const,
        holder: resolveProfessional(body, family.caseTeam),
        independence,
      };
    });
  }
}

@CommandHandler(ResolveCommand)
export class ResolveHandler implements ICommandHandler<ResolveCommand> {
  constructor(
    @Inject(EscalationCommandService) private readonly service: EscalationCommandService,
  ) {}

  execute({ escalationId, user, context, body }: ResolveCommand) {
    return this.service.run(escalationId, user, context, (_, access) => {
      access.assertMayClose();
      return { type: 'Resolve', outcome: body.outcome };
    });
  }
}

@CommandHandler(WithdrawCommand)
export class WithdrawHandler implements ICommandHandler<WithdrawCommand> {
  constructor(
    @Inject(EscalationCommandService) private readonly service: EscalationCommandService,
  ) {}

  execute({ escalationId, user, context, body }: WithdrawCommand) {
    return this.service.run(escalationId, user, context, (_, access) => {
      access.assertMayClose();
      return { type: 'Withdraw', reason: body.reason };
    });
  }
}

@CommandHandler(ReopenCommand)
export class ReopenHandler implements ICommandHandler<ReopenCommand> {
  constructor(
    @Inject(EscalationCommandService) private readonly service: EscalationCommandService,
  ) {}

  execute({ escalationId, user, context, body }: ReopenCommand) {
    return this.service.run(escalationId, user, context, (_, access) => {
      access.assertMayReopen();
      return { type: 'Reopen', reason: body.reason };
    });
  }
}
