import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { AddGoalDto } from './dto/plan-commands.dto.js';
import { PlanCommand, PlanCommandService } from './plan.command.js';

export class AddGoalCommand extends PlanCommand<AddGoalDto, { goalId: string; position: string }> {}

@CommandHandler(AddGoalCommand)
export class AddGoalHandler implements ICommandHandler<AddGoalCommand> {
  constructor(@Inject(PlanCommandService) private readonly plans: PlanCommandService) {}

  async execute({ input, body }: AddGoalCommand) {
    const goalId = randomUUID();
    const { position } = await this.plans.run(input, {
      type: 'AddGoal',
      goal: {
        goalId,
        familyWording: body.familyWording,
        professionalWording: body.professionalWording ?? null,
        concerns: body.concerns,
        lifeDomain: body.lifeDomain,
        targetDate: body.targetDate ?? null,
        confidentiality: body.confidentiality,
      },
    });
    return { goalId, position };
  }
}
