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
    return this.service.run(escalationId, user, context, async ({ aggregate, access, ctx }) => {
      access.assertMayDecide();
      const familyId = aggregate.escalation!.familyId;
      const seal = (text: string) => this.service.seal(familyId, text);
      aggregate.decide(
        {
          solution: await seal(body.solution),
          maatwerk: body.maatwerk,
          justification: await seal(body.justification),
          justificationLength: body.justification.trim().length,
          budgetEuros: body.budgetEuros ?? null,
          directives: await Promise.all(
            body.directives.map(async (d) => ({
              directiveId: randomUUID(),
              organisation: d.organisation,
              description: await seal(d.description),
              dueDate: d.dueDate,
            })),
          ),
        },
        user.sub,
        ctx,
      );
    });
  }
}

@CommandHandler(CompleteDirectiveCommand)
export class CompleteDirectiveHandler implements ICommandHandler<CompleteDirectiveCommand> {
  constructor(
    @Inject(EscalationCommandService) private readonly service: EscalationCommandService,
  ) {}

  execute({ escalationId, user, context, body }: CompleteDirectiveCommand) {
    return this.service.run(escalationId, user, context, ({ aggregate, access, ctx }) => {
      const directive = aggregate.escalation!.decision?.directives.find(
        (d) => d.directiveId === body.directiveId,
      );
      if (directive) access.assertMayCompleteDirective(directive.organisation);
      aggregate.completeDirective(body.directiveId, ctx);
    });
  }
}
