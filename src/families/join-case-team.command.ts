import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '#libs/aggregates/aggregate-repository.js';
import type { AuthUser } from '#libs/auth/auth-user.js';
import type { JoinCaseTeamDto } from './dto/join-case-team.dto.js';

export interface JoinCaseTeamResult {
  position: string;
}

export class JoinCaseTeamCommand extends Command<JoinCaseTeamResult> {
  constructor(
    readonly familyId: string,
    readonly input: JoinCaseTeamDto,
    readonly user: AuthUser,
    readonly context: CommandContext,
  ) {
    super();
  }
}
