import { Body, Controller, HttpCode, Inject, Put } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { CommandContext } from '#libs/aggregates/aggregate-repository.js';
import type { AuthUser } from '#libs/auth/auth-user.js';
import { CurrentUser } from '#libs/auth/jwt-auth.guard.js';
import { CommandCtx } from '#libs/http/command-context.decorator.js';
import { ApiCommand } from '#libs/http/openapi/api-operation.decorators.js';
import { PositionResponseDto } from '#libs/http/openapi/position-response.dto.js';
import { UuidParam } from '#libs/http/param-pipes.js';
import { ChangeAddressCommand } from './change-address.command.js';
import { AddressDto } from './dto/address.dto.js';

@ApiTags('families')
@ApiBearerAuth()
@Controller('api/v1/families')
export class FamilyAddressController {
  constructor(@Inject(CommandBus) private readonly commands: CommandBus) {}

  @Put(':familyId/address')
  @HttpCode(200)
  @ApiCommand({
    operationId: 'changeAddress',
    summary: 'Record where the household lives (when they move)',
    description:
      'Sealed with the family’s key; emergency access and concerns find it by a blind index.',
    response: PositionResponseDto,
    idempotencyKey: false,
    problems: [403, 404],
  })
  changeAddress(
    @UuidParam('familyId') familyId: string,
    @Body() body: AddressDto,
    @CurrentUser() user: AuthUser,
    @CommandCtx() context: CommandContext,
  ) {
    return this.commands.execute(new ChangeAddressCommand(familyId, body, user, context));
  }
}
