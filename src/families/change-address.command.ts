import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { normalizeAddress } from './address.js';
import type { AddressDto } from './dto/address.dto.js';
import { FamilyBusCommand, FamilyCommandService } from './family.command.js';

export class ChangeAddressCommand extends FamilyBusCommand<AddressDto, { position: string }> {}

/** The household moved: the new address is sealed with the family's key. */
@CommandHandler(ChangeAddressCommand)
export class ChangeAddressHandler implements ICommandHandler<ChangeAddressCommand> {
  constructor(@Inject(FamilyCommandService) private readonly families: FamilyCommandService) {}

  async execute({ familyId, body, user, context }: ChangeAddressCommand) {
    const { position } = await this.families.run(
      { familyId, user, context },
      { type: 'ChangeAddress', address: normalizeAddress(body) },
    );
    return { position };
  }
}
