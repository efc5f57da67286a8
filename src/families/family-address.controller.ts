import { Body, Controller, HttpCode, Inject, Param, Put } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { CommandContext } from '../../libs/aggregates/aggregate-repository.js';
import type { AuthUser } from '../../libs/auth/auth-user.js';
import { CurrentUser } from '../../libs/auth/jwt-auth.guard.js';
import { CommandCtx } from '../../libs/http/command-context.decorator.js';
import { uuidParam } from '../../libs/http/param-pipes.js';
import { ChangeAddressCommand } from './change-address.command.js';
import { AddressDto } from './dto/address.dto.js';
import { PositionResponseDto } from './dto/position-response.dto.js';

@ApiTags('families')
@ApiBearerAuth()
@Controller('api/v1/families')
export class FamilyAddressController {
  constructor(@Inject(CommandBus) private readonly commands: CommandBus) {}

  @Put(':familyId/address')
  @HttpCode(200)
  @ApiOperation({ summary: 'Record where the household lives (when they move)' })
  @ApiOkResponse({ type: PositionResponseDto })
  changeAddress(
    @Param('familyId', uuidParam('familyId')) familyId: string,
    @Body() body: AddressDto,
    @CurrentUser() user: AuthUser,
    @CommandCtx() context: CommandContext,
  ) {
    return this.commands.execute(new ChangeAddressCommand(familyId, body, user, context));
  }
}
