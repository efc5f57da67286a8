import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { PlanCommand, PlanCommandService } from './plan.command.js';

export class CompleteActionCommand extends PlanCommand<
  { actionId: string },
  { position: string }
> {}

@CommandHandler(CompleteActionCommand)
export class CompleteActionHandler implements ICommandHandler<CompleteActionCommand> {
  constructor(@Inject(PlanCommandService) private readonly plans: PlanCommandService) {}

  async execute({ input, body }: CompleteActionCommand) {
    const { actionId } = body;
    const { position } = await this.plans.run(input, { type: 'CompleteAction', actionId });
    return { position };
  }
}
