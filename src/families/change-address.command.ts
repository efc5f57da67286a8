import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '#libs/aggregates/aggregate-repository.js';
import type { AuthUser } from '#libs/auth/auth-user.js';
import type { AddressDto } from './dto/address.dto.js';

export class ChangeAddressCommand extends Command<{ position: string }> {
  constructor(
    readonly familyId: string,
    readonly input: AddressDto,
    readonly user: AuthUser,
    readonly context: CommandContext,
  ) {
    super();
  }
}
