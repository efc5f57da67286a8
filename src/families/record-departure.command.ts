import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandContext } from '#libs/aggregates/aggregate-repository.js';
import type { AuthUser } from '#libs/auth/auth-user.js';
import { notFound } from '#libs/http/problem-details.js';
import type { RecordDepartureDto } from './dto/record-departure.dto.js';
import { FamilyCommandService } from './family.command.js';
import { findMember } from './family.evolve.js';

export interface RecordDepartureResult {
  position: string;
}

export class RecordDepartureCommand extends Command<RecordDepartureResult> {
  constructor(
    readonly familyId: string,
    readonly memberId: string,
    readonly input: RecordDepartureDto,
    readonly user: AuthUser,
    readonly context: CommandContext,
  ) {
    super();
  }
}

/** The reason is free text about the member: sealed with their key, after the decision. */
@CommandHandler(RecordDepartureCommand)
export class RecordDepartureHandler implements ICommandHandler<RecordDepartureCommand> {
  constructor(@Inject(FamilyCommandService) private readonly families: FamilyCommandService) {}

  async execute({
    familyId,
    memberId,
    input,
    user,
    context,
  }: RecordDepartureCommand): Promise<RecordDepartureResult> {
    const { position } = await this.families.run(
      { familyId, user, context },
      { type: 'RecordDeparture', memberId, reason: input.reason },
      (state) => {
        // The member is part of the path: one the family never had is not found (404).
        if (!findMember(state, memberId)) throw notFound('No member with this id in this family');
      },
    );
    return { position };
  }
}
