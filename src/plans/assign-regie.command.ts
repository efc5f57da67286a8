import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { PlanCommand, PlanCommandService } from './plan.command.js';
import type { RegieRole } from '../kernel/regie.js';
import type { ProfessionalRefDto } from './dto/professional-ref.dto.js';

export class AssignRegieCommand extends PlanCommand<
  ProfessionalRefDto & { role: RegieRole },
  { position: string }
> {}

@CommandHandler(AssignRegieCommand)
export class AssignRegieHandler implements ICommandHandler<AssignRegieCommand> {
  constructor(@Inject(PlanCommandService) private readonly plans: PlanCommandService) {}

  async execute({ input, body }: AssignRegieCommand) {
    const { role, ...professional } = body;
    const { position } = await this.plans.run(input, { type: 'AssignRegie', role, professional });
    return { position };
  }
}
