import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { PlanCommand, PlanCommandService } from './plan.command.js';

export class OpenPlanCommand extends PlanCommand<
  void,
  { planId: string; version: number; position: string }
> {}

@CommandHandler(OpenPlanCommand)
export class OpenPlanHandler implements ICommandHandler<OpenPlanCommand> {
  constructor(@Inject(PlanCommandService) private readonly plans: PlanCommandService) {}

  async execute({ input }: OpenPlanCommand) {
    const planId = randomUUID();
    const command = { type: 'OpenPlan' as const, familyId: input.familyId, planId };
    const { position, state } = await this.plans.run(input, command);
    return { planId, version: state.plan!.version, position };
  }
}
