import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { NewMemberDto } from './dto/register-family.dto.js';
import { FamilyBusCommand, FamilyCommandService } from './family.command.js';

export interface AddMemberResult {
  memberId: string;
  position: string;
}

export class AddMemberCommand extends FamilyBusCommand<NewMemberDto, AddMemberResult> {}

@CommandHandler(AddMemberCommand)
export class AddMemberHandler implements ICommandHandler<AddMemberCommand> {
  constructor(@Inject(FamilyCommandService) private readonly families: FamilyCommandService) {}

  async execute({ familyId, body, user, context }: AddMemberCommand): Promise<AddMemberResult> {
    const { role, givenName, familyName, dateOfBirth, bsn } = body;
    const memberId = randomUUID();
    const { position } = await this.families.run(
      { familyId, user, context },
      {
        type: 'AddMember',
        member: { memberId, role, personal: { givenName, familyName, dateOfBirth, bsn } },
      },
    );
    return { memberId, position };
  }
}
