import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { SignPlanDto } from './dto/plan-commands.dto.js';
import { PlanCommand, PlanCommandService } from './plan.command.js';
import { missingSignatures } from './agreement.js';
import type { Party, PlanStatus } from './plan.model.js';

export class SignPlanCommand extends PlanCommand<
  SignPlanDto,
  { planStatus: PlanStatus; stillToSign: Party[]; position: string }
> {}

@CommandHandler(SignPlanCommand)
export class SignPlanHandler implements ICommandHandler<SignPlanCommand> {
  constructor(@Inject(PlanCommandService) private readonly plans: PlanCommandService) {}

  async execute({ input, body }: SignPlanCommand) {
    const signer = { userId: input.user.sub, organisation: input.user.organisation };
    const party = { kind: body.party.kind, id: body.party.id };
    // A professional records a family member's agreement on the member's behalf.
    const context =
      party.kind === 'member' ? { ...input.context, onBehalfOf: party.id } : input.context;
    const outcome = await this.plans.run(
      { ...input, context },
      { type: 'SignPlan', party, signer },
    );
    const plan = outcome.state.plan!;
    // By the same rules and moment as the agreement itself: empty once the plan is agreed.
    const stillToSign = missingSignatures(plan, outcome.context.family, outcome.context.now);
    return { planStatus: plan.status, stillToSign, position: outcome.position };
  }
}
