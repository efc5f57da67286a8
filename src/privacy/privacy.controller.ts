import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AccessPointOf, type AccessPoint } from '../../libs/access-log/access-point.decorator.js';
import type { AuthUser } from '../../libs/auth/auth-user.js';
import { CurrentUser } from '../../libs/auth/jwt-auth.guard.js';
import { NeverStoreResponse } from '../../libs/http/idempotency.interceptor.js';
import { uuidParam } from '../../libs/http/param-pipes.js';
import { AccessLogViews } from './access-log-views.service.js';
import { CitizenDataQuery } from './citizen-data.query.js';
import {
  DisputeDto,
  DisputeFilterDto,
  ResolveDisputeDto,
  RevealBsnDto,
} from './dto/privacy.dto.js';

@ApiTags('privacy')
@ApiBearerAuth()
@Controller('api/v1')
export class PrivacyController {
  constructor(
    @Inject(AccessLogViews) private readonly accessLog: AccessLogViews,
    @Inject(CitizenDataQuery) private readonly citizens: CitizenDataQuery,
  ) {}

  @Get('families/:familyId/access-log')
  familyLog(
    @Param('familyId', uuidParam('familyId')) familyId: string,
    @CurrentUser() user: AuthUser,
    @AccessPointOf() accessPoint: AccessPoint,
  ) {
    return this.accessLog.family(familyId, user, accessPoint);
  }

  @Post('families/:familyId/members/:memberId/bsn-reveal')
  @HttpCode(200)
  @NeverStoreResponse()
  revealBsn(
    @Param('familyId', uuidParam('familyId')) familyId: string,
    @Param('memberId', uuidParam('memberId')) memberId: string,
    @Body() body: RevealBsnDto,
    @CurrentUser() user: AuthUser,
    @AccessPointOf() accessPoint: AccessPoint,
  ) {
    return this.citizens.revealBsn(familyId, memberId, body.reason, user, accessPoint);
  }

  @Get('me/data')
  myData(@CurrentUser() user: AuthUser, @AccessPointOf() accessPoint: AccessPoint) {
    return this.citizens.own(user, accessPoint);
  }

  @Get('me/access-log')
  myAccessLog(@CurrentUser() user: AuthUser, @AccessPointOf() accessPoint: AccessPoint) {
    return this.accessLog.own(user, accessPoint);
  }

  @Post('me/access-log/:entryId/dispute')
  @HttpCode(201)
  dispute(
    @Param('entryId', uuidParam('entryId')) entryId: string,
    @Body() body: DisputeDto,
    @CurrentUser() user: AuthUser,
  ) {
    return this.accessLog.dispute(entryId, user, body.reason);
  }

  @Get('privacy/disputes')
  disputes(@Query() filter: DisputeFilterDto, @CurrentUser() user: AuthUser) {
    return this.accessLog.disputes(user, filter.status);
  }

  @Post('privacy/disputes/:disputeId/resolution')
  @HttpCode(200)
  resolve(
    @Param('disputeId', uuidParam('disputeId')) disputeId: string,
    @Body() body: ResolveDisputeDto,
    @CurrentUser() user: AuthUser,
  ) {
    return this.accessLog.resolve(disputeId, user, body.upheld, body.text);
  }
}
