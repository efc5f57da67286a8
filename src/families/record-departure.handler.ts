import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { AggregateRepository } from '#libs/aggregates/aggregate-repository.js';
import { formatPosition } from '#libs/event-store/position.js';
import { notFound } from '#libs/http/problem-details.js';
import { PersonalDataVault } from '#libs/personal-data/personal-data-vault.js';
import { FamilyActors } from './family-actors.js';
import { FamilyType, findMember } from './family.aggregate.js';
import { RecordDepartureCommand, type RecordDepartureResult } from './record-departure.command.js';

@CommandHandler(RecordDepartureCommand)
export class RecordDepartureHandler implements ICommandHandler<RecordDepartureCommand> {
  constructor(
    @Inject(AggregateRepository) private readonly repository: AggregateRepository,
    @Inject(PersonalDataVault) private readonly vault: PersonalDataVault,
    @Inject(FamilyActors) private readonly actors: FamilyActors,
  ) {}

  async execute({
    familyId,
    memberId,
    input,
    user,
    context,
  }: RecordDepartureCommand): Promise<RecordDepartureResult> {
    const family = await this.repository.load(FamilyType, familyId);
    await this.actors.assertActs(familyId, family.currentState, user);
    if (!findMember(family.currentState, memberId)) {
      throw notFound('No member with this id in this family');
    }
    const reason =
      input.reason === undefined
        ? undefined
        : await this.vault.seal(memberId, { reason: input.reason });
    family.recordDeparture(memberId, reason);
    const result = await this.repository.save(family, FamilyType, context);
    return { position: formatPosition(result!.position) };
  }
}
