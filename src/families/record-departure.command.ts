import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '#libs/aggregates/aggregate-repository.js';
import type { AuthUser } from '#libs/auth/auth-user.js';
import type { RecordDepartureDto } from './dto/record-departure.dto.js';

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
