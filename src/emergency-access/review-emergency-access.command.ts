import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandContext } from '#libs/aggregates/aggregate-repository.js';
import type { AuthUser } from '#libs/auth/auth-user.js';
import { forbidden, notFound } from '#libs/http/problem-details.js';
import type { ReviewEmergencyAccessDto } from './dto/emergency-access.dto.js';
import { EmergencyAccessCommandService } from './emergency-access.command.js';

export class ReviewEmergencyAccessCommand extends Command<{ position: string }> {
  constructor(
    readonly accessId: string,
    readonly body: ReviewEmergencyAccessDto,
    readonly user: AuthUser,
    readonly context: CommandContext,
  ) {
    super();
  }
}

export const isPrivacyOfficer = (user: AuthUser) => user.roles.includes('privacy_officer');

/** The privacy officer judges every break of the glass, once. */
@CommandHandler(ReviewEmergencyAccessCommand)
export class ReviewEmergencyAccessHandler implements ICommandHandler<ReviewEmergencyAccessCommand> {
  constructor(
    @Inject(EmergencyAccessCommandService) private readonly accesses: EmergencyAccessCommandService,
  ) {}

  async execute({ accessId, body, user, context }: ReviewEmergencyAccessCommand) {
    const { position } = await this.accesses.run(
      {
        type: 'ReviewEmergencyAccess',
        accessId,
        justified: body.justified,
        note: body.note,
        reviewedBy: user.sub,
      },
      context,
      async (state) => {
        if (!isPrivacyOfficer(user))
          throw forbidden('The privacy officer reviews emergency access');
        if (!state.granted) throw notFound('No emergency access with this id');
        return {};
      },
    );
    return { position };
  }
}
