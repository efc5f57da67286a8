import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { AggregateRepository } from '#libs/aggregates/aggregate-repository.js';
import { formatPosition } from '#libs/event-store/position.js';
import { PersonalDataVault } from '#libs/personal-data/personal-data-vault.js';
import { FamilyActors } from './family-actors.js';
import { normalizeAddress } from './address.js';
import { ChangeAddressCommand } from './change-address.command.js';
import { FamilyType } from './family.aggregate.js';

/** The household moved: the new address is sealed with the family's key. */
@CommandHandler(ChangeAddressCommand)
export class ChangeAddressHandler implements ICommandHandler<ChangeAddressCommand> {
  constructor(
    @Inject(AggregateRepository) private readonly repository: AggregateRepository,
    @Inject(PersonalDataVault) private readonly vault: PersonalDataVault,
    @Inject(FamilyActors) private readonly actors: FamilyActors,
  ) {}

  async execute({ familyId, input, user, context }: ChangeAddressCommand) {
    const family = await this.repository.load(FamilyType, familyId);
    await this.actors.assertActs(familyId, family.currentState, user);
    family.changeAddress(await this.vault.seal(familyId, normalizeAddress(input)));
    const result = await this.repository.save(family, FamilyType, context);
    return { position: formatPosition(result!.position) };
  }
}
