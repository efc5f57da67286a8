import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandContext } from '#libs/aggregates/aggregate-repository.js';
import type { CaseTeamProfessional } from '../kernel/professionals.js';
import { normalizeAddress } from './address.js';
import type { RegisterFamilyDto } from './dto/register-family.dto.js';
import { FamilyCommandService } from './family.command.js';

export interface RegisterFamilyResult {
  familyId: string;
  memberIds: string[];
  networkIds: string[];
  position: string;
}

export class RegisterFamilyCommand extends Command<RegisterFamilyResult> {
  constructor(
    readonly input: RegisterFamilyDto,
    readonly registeredBy: CaseTeamProfessional,
    readonly context: CommandContext,
    /** Chosen by the caller when a retry must find the same family (a concern's registration). */
    readonly familyId: string = randomUUID(),
  ) {
    super();
  }
}

@CommandHandler(RegisterFamilyCommand)
export class RegisterFamilyHandler implements ICommandHandler<RegisterFamilyCommand> {
  constructor(@Inject(FamilyCommandService) private readonly families: FamilyCommandService) {}

  async execute({
    input,
    registeredBy,
    context,
    familyId,
  }: RegisterFamilyCommand): Promise<RegisterFamilyResult> {
    const members = input.members.map(({ role, ...personal }) => ({
      memberId: randomUUID(),
      role,
      personal,
    }));
    const network = (input.network ?? []).map(({ relation, name }) => ({
      networkId: randomUUID(),
      relation,
      personal: { name },
    }));
    const { position } = await this.families.pipe(
      familyId,
      context,
      {
        type: 'RegisterFamily',
        teamId: input.teamId,
        members,
        network,
        registeredBy,
        address: input.address ? normalizeAddress(input.address) : undefined,
      },
      // Who may register was decided by the controller (the registrar's role and own team).
      async () => {},
    );
    return {
      familyId,
      memberIds: members.map((m) => m.memberId),
      networkIds: network.map((n) => n.networkId),
      position,
    };
  }
}
