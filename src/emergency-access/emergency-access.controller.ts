import { Body, Controller, Get, HttpCode, Inject, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AccessPointOf, type AccessPoint } from '#libs/access-log/access-point.decorator.js';
import type { CommandContext } from '#libs/aggregates/aggregate-repository.js';
import type { AuthUser } from '#libs/auth/auth-user.js';
import { CurrentUser } from '#libs/auth/jwt-auth.guard.js';
import { CommandCtx } from '#libs/http/command-context.decorator.js';
import { ApiCommand, ApiView } from '#libs/http/openapi/api-operation.decorators.js';
import { PositionResponseDto } from '#libs/http/openapi/position-response.dto.js';
import { UuidParam } from '#libs/http/param-pipes.js';
import {
  EmergencyAccessFilterDto,
  EmergencyAccessGrantedDto,
  EmergencyAccessListDto,
  RequestEmergencyAccessDto,
  ReviewEmergencyAccessDto,
} from './dto/emergency-access.dto.js';
import { EmergencyAccessesQuery } from './emergency-accesses.query.js';
import { GrantEmergencyAccessCommand } from './grant-emergency-access.command.js';
import { ReviewEmergencyAccessCommand } from './review-emergency-access.command.js';

@ApiTags('emergency-access')
@ApiBearerAuth()
@Controller('api/v1')
export class EmergencyAccessController {
  constructor(
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(EmergencyAccessesQuery) private readonly accesses: EmergencyAccessesQuery,
  ) {}

  @Post('emergency-access')
  @HttpCode(201)
  @ApiCommand({
    operationId: 'requestEmergencyAccess',
    summary: 'Break the glass: read-only access to the families of a subject, for a few hours',
    description:
      'For a professional of an SLT team (403 otherwise). The families found are read as the casusregisseur would (BSN masked) for EMERGENCY_ACCESS_HOURS; every read is flagged and reasoned in the access log. An empty list is an answer too.',
    response: EmergencyAccessGrantedDto,
    status: 201,
    problems: [403],
  })
  grant(
    @Body() body: RequestEmergencyAccessDto,
    @CurrentUser() user: AuthUser,
    @CommandCtx() context: CommandContext,
    @AccessPointOf() accessPoint: AccessPoint,
  ) {
    return this.commands.execute(new GrantEmergencyAccessCommand(body, user, context, accessPoint));
  }

  @Get('privacy/emergency-accesses')
  @ApiView({
    operationId: 'listEmergencyAccesses',
    summary: "The privacy officer's review queue of emergency accesses",
    response: EmergencyAccessListDto,
    problems: [403],
  })
  list(
    @Query() filter: EmergencyAccessFilterDto,
    @CurrentUser() user: AuthUser,
    @AccessPointOf() accessPoint: AccessPoint,
  ) {
    return this.accesses.list(user, filter.status, accessPoint);
  }

  @Post('privacy/emergency-accesses/:accessId/review')
  @HttpCode(200)
  @ApiCommand({
    operationId: 'reviewEmergencyAccess',
    summary: 'Judge whether breaking the glass was justified (once)',
    response: PositionResponseDto,
    problems: [403, 404],
  })
  review(
    @UuidParam('accessId') accessId: string,
    @Body() body: ReviewEmergencyAccessDto,
    @CurrentUser() user: AuthUser,
    @CommandCtx() context: CommandContext,
  ) {
    return this.commands.execute(new ReviewEmergencyAccessCommand(accessId, body, user, context));
  }
}
