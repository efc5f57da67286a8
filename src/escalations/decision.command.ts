import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { DecisionDto } from './dto/escalation-commands.dto.js';
import { EscalationCommandService } from './escalation-command.service.js';
import { EscalationStepCommand } from './escalation-step.command.js';

export class DecideCommand extends EscalationStepCommand<DecisionDto> {}
export class CompleteDirectiveCommand extends EscalationStepCommand<{ directiveId: string }> {}

/** The brandpuntfunctionaris forces a solution; every text of it is sealed with the family's key. */
@CommandHandler(DecideCommand)
export class DecideHandler implements ICommandHandler<DecideCommand> {
  constructor(
    @Inject(EscalationCommandService) private readonly service: EscalationCommandService,
  ) {}

  execute({ escalationId, user, context, body }: DecideCommand) {
    return this.service.run(escalationId, user, context, (_, access) => {
      access.assertMayDecide();
      return {
        type: 'Decide',
        deciderId: user.sub,
        // Plain texts: decide measures the justification; the pipeline seals them afterwards.
        decision: {
          solution: body.solution,
          maatwerk: body.maatwerk,
          justification: body.justification,
          budgetEuros: body.budgetEuros ?? null,
          directives: body.directives.map((d) => ({
            directiveId: randomUUID(),
            organisation: d.organisation,
            description: d.description,
            dueDate: d.dueDate,
          })),
        },
      };
    });
  }
}

@CommandHandler(CompleteDirectiveCommand)
export class CompleteDirectiveHandler implements ICommandHandler<CompleteDirectiveCommand> {
  constructor(
    @Inject(EscalationCommandService) private readonly service: EscalationCommandService,
  ) {}

  execute({ escalationId, user, context, body }: CompleteDirectiveCommand) {
    return this.service.run(escalationId, user, context, (escalation, access) => {
      const directive = escalation.decision?.directives.find(
        (d) => d.directiveId === body.directiveId,
      );
      if (directive) access.assertMayCompleteDirective(directive.organisation);
      return { type: 'CompleteDirective', directiveId: body.directiveId };
    });
  }
}
