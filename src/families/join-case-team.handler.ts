import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { AggregateRepository } from '../../libs/aggregates/aggregate-repository.js';
import { formatPosition } from '../../libs/event-store/position.js';
import { assertCanActOnFamily } from './family-access.js';
import { FamilyType } from './family.aggregate.js';
import { JoinCaseTeamCommand, type JoinCaseTeamResult } from './join-case-team.command.js';

@CommandHandler(JoinCaseTeamCommand)
export class JoinCaseTeamHandler implements ICommandHandler<JoinCaseTeamCommand> {
  constructor(@Inject(AggregateRepository) private readonly repository: AggregateRepository) {}

  async execute({
    familyId,
    input,
    user,
    context,
  }: JoinCaseTeamCommand): Promise<JoinCaseTeamResult> {
    const family = await this.repository.load(FamilyType, familyId);
    assertCanActOnFamily(family.currentState, user);
    const { professionalId, name, organisation, discipline } = input;
    family.joinCaseTeam({ professionalId, name, organisation, discipline });
    const result = await this.repository.save(family, FamilyType, context);
    return { position: formatPosition(result!.position) };
  }
}
