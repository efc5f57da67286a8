import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  AggregateRepository,
  type CommandContext,
} from '../../libs/aggregates/aggregate-repository.js';
import type { AuthUser } from '../../libs/auth/auth-user.js';
import { CLOCK, type Clock } from '../../libs/clock/index.js';
import { formatPosition } from '../../libs/event-store/position.js';
import { forbidden, notFound } from '../../libs/http/problem-details.js';
import { PersonalDataVault } from '../../libs/personal-data/personal-data-vault.js';
import type { ReviewEmergencyAccessDto } from './dto/emergency-access.dto.js';
import { EmergencyAccessType } from './emergency-access.aggregate.js';

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
    @Inject(AggregateRepository) private readonly repository: AggregateRepository,
    @Inject(PersonalDataVault) private readonly vault: PersonalDataVault,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ accessId, body, user, context }: ReviewEmergencyAccessCommand) {
    if (!isPrivacyOfficer(user)) throw forbidden('The privacy officer reviews emergency access');
    const access = await this.repository.tryLoad(EmergencyAccessType, accessId);
    if (!access?.isGranted) throw notFound('No emergency access with this id');
    access.review({
      justified: body.justified,
      note: await this.vault.seal(accessId, body.note),
      reviewedBy: user.sub,
      reviewedAt: this.clock.now().toISOString(),
    });
    const result = await this.repository.save(access, EmergencyAccessType, context);
    return { position: formatPosition(result!.position) };
  }
}
