import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '#libs/aggregates/aggregate-repository.js';
import type { AuthUser } from '#libs/auth/auth-user.js';
import type { NewNetworkMemberDto } from './dto/register-family.dto.js';

export interface AddNetworkMemberResult {
  networkId: string;
  position: string;
}

export class AddNetworkMemberCommand extends Command<AddNetworkMemberResult> {
  constructor(
    readonly familyId: string,
    readonly input: NewNetworkMemberDto,
    readonly user: AuthUser,
    readonly context: CommandContext,
  ) {
    super();
  }
}
