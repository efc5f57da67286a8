import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '#libs/aggregates/aggregate-repository.js';
import type { CaseTeamProfessional } from '../kernel/professionals.js';
import type { RegisterFamilyDto } from './dto/register-family.dto.js';

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
  ) {
    super();
  }
}
