import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { AggregateRepository } from '#libs/aggregates/aggregate-repository.js';
import { formatPosition } from '#libs/event-store/position.js';
import { PersonalDataVault } from '#libs/personal-data/personal-data-vault.js';
import { normalizeAddress } from './address.js';
import { FamilyType } from './family.aggregate.js';
import { RegisterFamilyCommand, type RegisterFamilyResult } from './register-family.command.js';

@CommandHandler(RegisterFamilyCommand)
export class RegisterFamilyHandler implements ICommandHandler<RegisterFamilyCommand> {
  constructor(
    @Inject(AggregateRepository) private readonly repository: AggregateRepository,
    @Inject(PersonalDataVault) private readonly vault: PersonalDataVault,
  ) {}

  async execute({
    input,
    registeredBy,
    context,
  }: RegisterFamilyCommand): Promise<RegisterFamilyResult> {
    const familyId = randomUUID();
    const members = await Promise.all(
      input.members.map(async ({ role, ...personal }) => {
        const memberId = randomUUID();
        return { memberId, role, personal: await this.vault.seal(memberId, personal) };
      }),
    );
    const network = await Promise.all(
      (input.network ?? []).map(async ({ relation, name }) => {
        const networkId = randomUUID();
        return { networkId, relation, personal: await this.vault.seal(networkId, { name }) };
      }),
    );
    const address = input.address
      ? await this.vault.seal(familyId, normalizeAddress(input.address))
      : undefined;
    const family = FamilyType.create(familyId);
    family.register(input.teamId, members, network, registeredBy, address);
    const result = await this.repository.save(family, FamilyType, context);
    return {
      familyId,
      memberIds: members.map((m) => m.memberId),
      networkIds: network.map((n) => n.networkId),
      position: formatPosition(result!.position),
    };
  }
}
