import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { DomainRuleViolation } from '#libs/aggregates/domain-errors.js';
import type { JoinCaseTeamDto } from './dto/join-case-team.dto.js';
import { FamilyActors } from './family-actors.js';
import { FamilyBusCommand, FamilyCommandService } from './family.command.js';

export interface JoinCaseTeamResult {
  position: string;
}

export class JoinCaseTeamCommand extends FamilyBusCommand<JoinCaseTeamDto, JoinCaseTeamResult> {}

/** A row when $2 holds level 1 or 2 of an open escalation of family $1. */
export const HOLDS_LEVEL_SQL = `SELECT 1 FROM family_escalation_holders
  WHERE family_id = $1 AND status = 'open' AND level >= 1 AND holder_id = $2 LIMIT 1`;

@CommandHandler(JoinCaseTeamCommand)
export class JoinCaseTeamHandler implements ICommandHandler<JoinCaseTeamCommand> {
  constructor(
    @Inject(FamilyCommandService) private readonly families: FamilyCommandService,
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(FamilyActors) private readonly actors: FamilyActors,
  ) {}

  async execute({
    familyId,
    body,
    user,
    context,
  }: JoinCaseTeamCommand): Promise<JoinCaseTeamResult> {
    const { professionalId, name, organisation, discipline, lifeDomains } = body;
    const { position } = await this.families.run(
      { familyId, user, context },
      {
        type: 'JoinCaseTeam',
        professional: { professionalId, name, organisation, discipline, lifeDomains },
      },
      () => this.assertNotIndependent(familyId, professionalId),
    );
    return { position };
  }

  /**
   * Invariant 3 from the other side: the family's procesregisseur, or the holder of a level of
   * one of its open escalations, cannot join its case team and stay independent. The plan is
   * read from its stream; the escalations' holders from the families' own copy of them
   * (family-escalation-holders.projection.ts, a step behind at most, as any read model).
   */
  private async assertNotIndependent(familyId: string, professionalId: string): Promise<void> {
    const { procesregisseur } = await this.actors.regie(familyId);
    const holdsLevel: unknown[] = await this.dataSource.query(HOLDS_LEVEL_SQL, [
      familyId,
      professionalId,
    ]);
    if (procesregisseur?.professionalId === professionalId || holdsLevel.length > 0) {
      throw new DomainRuleViolation(
        'This professional coordinates this family independently (procesregie or brandpunt) ' +
          'and cannot join its case team',
        'professionalId',
      );
    }
  }
}
