import { Body, Controller, Get, HttpCode, Inject, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ApiCommand, ApiView } from '#libs/http/openapi/api-operation.decorators.js';
import { AccessPointOf, type AccessPoint } from '#libs/access-log/access-point.decorator.js';
import type { CommandContext } from '#libs/aggregates/aggregate-repository.js';
import type { AuthUser } from '#libs/auth/auth-user.js';
import { CurrentUser } from '#libs/auth/jwt-auth.guard.js';
import { CommandCtx } from '#libs/http/command-context.decorator.js';
import { UuidParam } from '#libs/http/param-pipes.js';
import {
  ErasureDecisionDto,
  ErasureDecisionResultDto,
  ErasureRequestCreatedDto,
  ErasureRequestDto,
  ErasureRequestFiltersDto,
  ErasureRequestListDto,
} from './dto/erasure.dto.js';
import { DecideErasureCommand, RequestErasureCommand } from './erasure.commands.js';
import { ErasureRequestsQuery } from './erasure-requests.query.js';

@ApiTags('erasure')
@ApiBearerAuth()
@Controller('api/v1')
export class ErasureController {
  constructor(
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(ErasureRequestsQuery) private readonly requests: ErasureRequestsQuery,
  ) {}

  @Post('families/:familyId/members/:memberId/erasure-requests')
  @HttpCode(201)
  @ApiCommand({
    operationId: 'requestErasure',
    summary: 'Ask for the erasure of a member’s personal data',
    description:
      'By the member themselves (citizen token with memberId) or by a professional of the family on their behalf. 404 for an unknown family or member, or a family the caller may not know; 409 when the data is already erased.',
    response: ErasureRequestCreatedDto,
    status: 201,
    problems: [403, 404, 409],
  })
  request(
    @UuidParam('familyId') familyId: string,
    @UuidParam('memberId') memberId: string,
    @Body() body: ErasureRequestDto,
    @CurrentUser() user: AuthUser,
    @CommandCtx() context: CommandContext,
  ) {
    return this.commands.execute(
      new RequestErasureCommand(familyId, memberId, body, user, context),
    );
  }

  @Post('erasure-requests/:requestId/decision')
  @HttpCode(200)
  @ApiCommand({
    operationId: 'decideErasure',
    summary: 'Grant or refuse an erasure request (privacy officer)',
    description:
      'Granting destroys the member’s key (crypto-shredding): every view and the history show the data as erased. A refusal states the legal duty to keep (422 under 20 characters). 403 for anyone but the privacy officer; 409 when already decided.',
    response: ErasureDecisionResultDto,
    problems: [403, 404, 409, 422],
  })
  decide(
    @UuidParam('requestId') requestId: string,
    @Body() body: ErasureDecisionDto,
    @CurrentUser() user: AuthUser,
    @CommandCtx() context: CommandContext,
  ) {
    return this.commands.execute(new DecideErasureCommand(requestId, body, user, context));
  }

  @Get('erasure-requests')
  @ApiView({
    operationId: 'listErasureRequests',
    summary: 'Erasure requests, oldest first (privacy officer)',
    response: ErasureRequestListDto,
    problems: [403],
  })
  async list(
    @Query() filters: ErasureRequestFiltersDto,
    @CurrentUser() user: AuthUser,
    @AccessPointOf() accessPoint: AccessPoint,
  ) {
    return { items: await this.requests.list(user, filters, accessPoint) };
  }
}
