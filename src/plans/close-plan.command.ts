import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { ClosePlanDto } from './dto/plan-commands.dto.js';
import { PlanCommand, PlanCommandService } from './plan.command.js';

export class ClosePlanCommand extends PlanCommand<ClosePlanDto, { position: string }> {}

@CommandHandler(ClosePlanCommand)
export class ClosePlanHandler implements ICommandHandler<ClosePlanCommand> {
  constructor(@Inject(PlanCommandService) private readonly plans: PlanCommandService) {}

  async execute({ input, body }: ClosePlanCommand) {
    const { position } = await this.plans.run(input, { type: 'ClosePlan', reason: body.reason });
    return { position };
  }
}
