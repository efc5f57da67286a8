import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { NewNetworkMemberDto } from './dto/register-family.dto.js';
import { FamilyBusCommand, FamilyCommandService } from './family.command.js';

export interface AddNetworkMemberResult {
  networkId: string;
  position: string;
}

export class AddNetworkMemberCommand extends FamilyBusCommand<
  NewNetworkMemberDto,
  AddNetworkMemberResult
> {}

@CommandHandler(AddNetworkMemberCommand)
export class AddNetworkMemberHandler implements ICommandHandler<AddNetworkMemberCommand> {
  constructor(@Inject(FamilyCommandService) private readonly families: FamilyCommandService) {}

  async execute({
    familyId,
    body,
    user,
    context,
  }: AddNetworkMemberCommand): Promise<AddNetworkMemberResult> {
    const networkId = randomUUID();
    const { position } = await this.families.run(
      { familyId, user, context },
      {
        type: 'AddNetworkMember',
        networkMember: { networkId, relation: body.relation, personal: { name: body.name } },
      },
    );
    return { networkId, position };
  }
}
