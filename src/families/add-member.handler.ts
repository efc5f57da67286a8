import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { AggregateRepository } from '#libs/aggregates/aggregate-repository.js';
import { formatPosition } from '#libs/event-store/position.js';
import { PersonalDataVault } from '#libs/personal-data/personal-data-vault.js';
import { AddMemberCommand, type AddMemberResult } from './add-member.command.js';
import { FamilyActors } from './family-actors.js';
import { FamilyType } from './family.aggregate.js';

@CommandHandler(AddMemberCommand)
export class AddMemberHandler implements ICommandHandler<AddMemberCommand> {
  constructor(
    @Inject(AggregateRepository) private readonly repository: AggregateRepository,
    @Inject(PersonalDataVault) private readonly vault: PersonalDataVault,
    @Inject(FamilyActors) private readonly actors: FamilyActors,
  ) {}

  async execute({ familyId, input, user, context }: AddMemberCommand): Promise<AddMemberResult> {
    const family = await this.repository.load(FamilyType, familyId);
    await this.actors.assertActs(familyId, family.currentState, user);
    const { role, givenName, familyName, dateOfBirth, bsn } = input;
    const memberId = randomUUID();
    const personal = await this.vault.seal(memberId, { givenName, familyName, dateOfBirth, bsn });
    family.addMember({ memberId, role, personal });
    const result = await this.repository.save(family, FamilyType, context);
    return { memberId, position: formatPosition(result!.position) };
  }
}
