import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { AddActionDto } from './dto/plan-commands.dto.js';
import { PlanCommand, PlanCommandService } from './plan.command.js';

export class AddActionCommand extends PlanCommand<
  AddActionDto,
  { actionId: string; position: string }
> {}

@CommandHandler(AddActionCommand)
export class AddActionHandler implements ICommandHandler<AddActionCommand> {
  constructor(@Inject(PlanCommandService) private readonly plans: PlanCommandService) {}

  async execute({ input, body }: AddActionCommand) {
    const actionId = randomUUID();
    const { position } = await this.plans.run(input, {
      type: 'AddAction',
      action: {
        actionId,
        goalId: body.goalId,
        description: body.description,
        assignee: { kind: body.assignee.kind, id: body.assignee.id },
        dueDate: body.dueDate,
        confidentiality: body.confidentiality,
      },
    });
    return { actionId, position };
  }
}
