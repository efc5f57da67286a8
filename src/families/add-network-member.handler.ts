import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { AggregateRepository } from '#libs/aggregates/aggregate-repository.js';
import { formatPosition } from '#libs/event-store/position.js';
import { PersonalDataVault } from '#libs/personal-data/personal-data-vault.js';
import {
  AddNetworkMemberCommand,
  type AddNetworkMemberResult,
} from './add-network-member.command.js';
import { FamilyActors } from './family-actors.js';
import { FamilyType } from './family.aggregate.js';

@CommandHandler(AddNetworkMemberCommand)
export class AddNetworkMemberHandler implements ICommandHandler<AddNetworkMemberCommand> {
  constructor(
    @Inject(AggregateRepository) private readonly repository: AggregateRepository,
    @Inject(PersonalDataVault) private readonly vault: PersonalDataVault,
    @Inject(FamilyActors) private readonly actors: FamilyActors,
  ) {}

  async execute({
    familyId,
    input,
    user,
    context,
  }: AddNetworkMemberCommand): Promise<AddNetworkMemberResult> {
    const family = await this.repository.load(FamilyType, familyId);
    await this.actors.assertActs(familyId, family.currentState, user);
    const networkId = randomUUID();
    const personal = await this.vault.seal(networkId, { name: input.name });
    family.addNetworkMember({ networkId, relation: input.relation, personal });
    const result = await this.repository.save(family, FamilyType, context);
    return { networkId, position: formatPosition(result!.position) };
  }
}
