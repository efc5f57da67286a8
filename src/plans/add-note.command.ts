import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { AddNoteDto } from './dto/plan-commands.dto.js';
import { PlanCommand, PlanCommandService } from './plan.command.js';

export class AddNoteCommand extends PlanCommand<AddNoteDto, { noteId: string; position: string }> {}

@CommandHandler(AddNoteCommand)
export class AddNoteHandler implements ICommandHandler<AddNoteCommand> {
  constructor(@Inject(PlanCommandService) private readonly plans: PlanCommandService) {}

  async execute({ input, body }: AddNoteCommand) {
    const noteId = randomUUID();
    const { position } = await this.plans.run(input, {
      type: 'AddNote',
      note: {
        noteId,
        goalId: body.goalId ?? null,
        text: body.text,
        confidentiality: body.confidentiality,
        evaluation: body.evaluation ?? false,
      },
    });
    return { noteId, position };
  }
}
