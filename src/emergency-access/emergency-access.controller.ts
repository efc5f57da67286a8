import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { AccessPointOf, type AccessPoint } from '../../libs/access-log/access-point.decorator.js';
import type { CommandContext } from '../../libs/aggregates/aggregate-repository.js';
import type { AuthUser } from '../../libs/auth/auth-user.js';
import { CurrentUser } from '../../libs/auth/jwt-auth.guard.js';
import { CommandCtx } from '../../libs/http/command-context.decorator.js';
import { uuidParam } from '../../libs/http/param-pipes.js';
import { PositionResponseDto } from '../families/dto/position-response.dto.js';
import {
  EmergencyAccessFilterDto,
  EmergencyAccessGrantedDto,
  RequestEmergencyAccessDto,
  ReviewEmergencyAccessDto,
} from './dto/emergency-access.dto.js';
import { EmergencyAccessesQuery } from './emergency-accesses.query.js';
import { GrantEmergencyAccessCommand } from './grant-emergency-access.command.js';
import { ReviewEmergencyAccessCommand } from './review-emergency-access.command.js';

@ApiTags('emergency access')
@ApiBearerAuth()
@Controller('api/v1')
export class EmergencyAccessController {
  constructor(
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(EmergencyAccessesQuery) private readonly accesses: EmergencyAccessesQuery,
  ) {}

  @Post('emergency-access')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Break the glass: read-only access to the families of a subject, for a few hours',
  })
  @ApiCreatedResponse({ type: EmergencyAccessGrantedDto })
  grant(
    @Body() body: RequestEmergencyAccessDto,
    @CurrentUser() user: AuthUser,
    @CommandCtx() context: CommandContext,
    @AccessPointOf() accessPoint: AccessPoint,
  ) {
    return this.commands.execute(new GrantEmergencyAccessCommand(body, user, context, accessPoint));
  }

  @Get('privacy/emergency-accesses')
  @ApiOperation({ summary: "The privacy officer's review queue of emergency accesses" })
  list(
    @Query() filter: EmergencyAccessFilterDto,
    @CurrentUser() user: AuthUser,
    @AccessPointOf() accessPoint: AccessPoint,
  ) {
    return this.accesses.list(user, filter.status, accessPoint);
  }

  @Post('privacy/emergency-accesses/:accessId/review')
  @HttpCode(200)
  @ApiOperation({ summary: 'Judge whether breaking the glass was justified (once)' })
  @ApiOkResponse({ type: PositionResponseDto })
  review(
    @Param('accessId', uuidParam('accessId')) accessId: string,
    @Body() body: ReviewEmergencyAccessDto,
    @CurrentUser() user: AuthUser,
    @CommandCtx() context: CommandContext,
  ) {
    return this.commands.execute(new ReviewEmergencyAccessCommand(accessId, body, user, context));
  }
}
