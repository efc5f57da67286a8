import { Body, Controller, Get, HttpCode, Inject, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AccessPointOf, type AccessPoint } from '#libs/access-log/access-point.decorator.js';
import type { AuthUser } from '#libs/auth/auth-user.js';
import { CurrentUser } from '#libs/auth/jwt-auth.guard.js';
import { NeverStoreResponse } from '#libs/http/idempotency.interceptor.js';
import { UuidParam } from '#libs/http/param-pipes.js';
import { AccessLogViews } from './access-log-views.service.js';
import { BsnRevealQuery } from './bsn-reveal.query.js';
import {
  DisputeDto,
  DisputeFilterDto,
  ResolveDisputeDto,
  RevealBsnDto,
} from './dto/privacy.dto.js';
import { ApiCommand, ApiView } from '#libs/http/openapi/api-operation.decorators.js';
import {
  AccessLogDto,
  DisputeCreatedDto,
  DisputeListDto,
  DisputeResolvedDto,
  RevealedBsnDto,
} from './dto/privacy-views.dto.js';

@ApiTags('privacy')
@ApiBearerAuth()
@Controller('api/v1')
export class PrivacyController {
  constructor(
    @Inject(AccessLogViews) private readonly accessLog: AccessLogViews,
    @Inject(BsnRevealQuery) private readonly bsn: BsnRevealQuery,
  ) {}

  @Get('families/:familyId/access-log')
  @ApiView({
    operationId: 'getFamilyAccessLog',
    summary: "Who read the family's personal data",
    description:
      'For the privacy officer and auditors (every entry) and the family’s members (their own).',
    response: AccessLogDto,
    problems: [403, 404],
  })
  familyLog(
    @UuidParam('familyId') familyId: string,
    @CurrentUser() user: AuthUser,
    @AccessPointOf() accessPoint: AccessPoint,
  ) {
    return this.accessLog.family(familyId, user, accessPoint);
  }

  @Post('families/:familyId/members/:memberId/bsn-reveal')
  @HttpCode(200)
  @NeverStoreResponse()
  @ApiView({
    operationId: 'revealBsn',
    summary: "Reveal a member's full BSN (logged)",
    description:
      'For the casusregisseur, or an auditor with a legal basis (403 otherwise). The answer is never stored for idempotency, so Idempotency-Key is ignored.',
    response: RevealedBsnDto,
    problems: [403, 404],
  })
  revealBsn(
    @UuidParam('familyId') familyId: string,
    @UuidParam('memberId') memberId: string,
    @Body() body: RevealBsnDto,
    @CurrentUser() user: AuthUser,
    @AccessPointOf() accessPoint: AccessPoint,
  ) {
    return this.bsn.reveal(familyId, memberId, body.reason, user, accessPoint);
  }

  @Get('me/access-log')
  @ApiView({
    operationId: 'getMyAccessLog',
    summary: "Who read a citizen's own data",
    response: AccessLogDto,
    problems: [403],
  })
  myAccessLog(@CurrentUser() user: AuthUser, @AccessPointOf() accessPoint: AccessPoint) {
    return this.accessLog.own(user, accessPoint);
  }

  @Post('me/access-log/:entryId/dispute')
  @HttpCode(201)
  @ApiCommand({
    operationId: 'disputeAccess',
    summary: 'Dispute an access to your data',
    response: DisputeCreatedDto,
    status: 201,
    problems: [403, 404, 409],
  })
  dispute(
    @UuidParam('entryId') entryId: string,
    @Body() body: DisputeDto,
    @CurrentUser() user: AuthUser,
  ) {
    return this.accessLog.dispute(entryId, user, body.reason);
  }

  @Get('privacy/disputes')
  @ApiView({
    operationId: 'listDisputes',
    summary: 'Disputes of access (privacy officer)',
    response: DisputeListDto,
    problems: [403],
  })
  disputes(@Query() filter: DisputeFilterDto, @CurrentUser() user: AuthUser) {
    return this.accessLog.disputes(user, filter.status);
  }

  @Post('privacy/disputes/:disputeId/resolution')
  @HttpCode(200)
  @ApiCommand({
    operationId: 'resolveDispute',
    summary: 'Uphold or reject a dispute (privacy officer)',
    response: DisputeResolvedDto,
    problems: [403, 404, 409],
  })
  resolve(
    @UuidParam('disputeId') disputeId: string,
    @Body() body: ResolveDisputeDto,
    @CurrentUser() user: AuthUser,
  ) {
    return this.accessLog.resolve(disputeId, user, body.upheld, body.text);
  }
}
