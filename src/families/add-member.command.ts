import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '#libs/aggregates/aggregate-repository.js';
import type { AuthUser } from '#libs/auth/auth-user.js';
import type { NewMemberDto } from './dto/register-family.dto.js';

export interface AddMemberResult {
  memberId: string;
  position: string;
}

export class AddMemberCommand extends Command<AddMemberResult> {
  constructor(
    readonly familyId: string,
    readonly input: NewMemberDto,
    readonly user: AuthUser,
    readonly context: CommandContext,
  ) {
    super();
  }
}
