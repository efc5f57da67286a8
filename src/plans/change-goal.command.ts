import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { ChangeGoalDto } from './dto/plan-commands.dto.js';
import { PlanCommand, PlanCommandService } from './plan.command.js';

export class ChangeGoalCommand extends PlanCommand<
  ChangeGoalDto & { goalId: string },
  { position: string }
> {}

@CommandHandler(ChangeGoalCommand)
export class ChangeGoalHandler implements ICommandHandler<ChangeGoalCommand> {
  constructor(@Inject(PlanCommandService) private readonly plans: PlanCommandService) {}

  async execute({ input, body: { goalId, ...change } }: ChangeGoalCommand) {
    const { position } = await this.plans.run(input, { type: 'ChangeGoal', goalId, change });
    return { position };
  }
}
