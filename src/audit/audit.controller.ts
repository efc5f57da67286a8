import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiProduces, ApiTags } from '@nestjs/swagger';
import { IsISO8601 } from 'class-validator';
import { ApiProperty } from '@nestjs/swagger';
import type { Response } from 'express';
import { AccessPointOf, type AccessPoint } from '../../libs/access-log/access-point.decorator.js';
import type { AuthUser } from '../../libs/auth/auth-user.js';
import { CurrentUser } from '../../libs/auth/jwt-auth.guard.js';
import { uuidParam } from '../../libs/http/param-pipes.js';
import { AuditService } from './audit.service.js';

export class AsOfDto {
  @ApiProperty({
    example: '2027-01-15T09:00:00Z',
    description: 'The moment to show the case as it was',
  })
  @IsISO8601({ strict: true })
  asOf!: string;
}

/** For auditors: what happened, who did it, and what the case looked like at any past moment. */
@ApiTags('audit')
@ApiBearerAuth()
@Controller('api/v1/audit/families/:familyId')
export class AuditController {
  constructor(@Inject(AuditService) private readonly audit: AuditService) {}

  @Get('history')
  history(
    @Param('familyId', uuidParam('familyId')) familyId: string,
    @CurrentUser() user: AuthUser,
    @AccessPointOf() accessPoint: AccessPoint,
  ) {
    return this.audit.history(familyId, user, accessPoint);
  }

  @Get('state')
  state(
    @Param('familyId', uuidParam('familyId')) familyId: string,
    @Query() query: AsOfDto,
    @CurrentUser() user: AuthUser,
    @AccessPointOf() accessPoint: AccessPoint,
  ) {
    return this.audit.stateAsOf(familyId, new Date(query.asOf), user, accessPoint);
  }

  /** Recomputes the hash chain of every stream of the family and names the first broken link. */
  @Get('verification')
  verification(
    @Param('familyId', uuidParam('familyId')) familyId: string,
    @CurrentUser() user: AuthUser,
    @AccessPointOf() accessPoint: AccessPoint,
  ) {
    return this.audit.verification(familyId, user, accessPoint);
  }

  @Get('export')
  @ApiProduces('application/x-ndjson')
  async export(
    @Param('familyId', uuidParam('familyId')) familyId: string,
    @CurrentUser() user: AuthUser,
    @AccessPointOf() accessPoint: AccessPoint,
    @Res() response: Response,
  ) {
    const lines = await this.audit.export(familyId, user, accessPoint);
    response.setHeader('Content-Type', 'application/x-ndjson; charset=utf-8');
    response.setHeader('Content-Disposition', `attachment; filename="family-${familyId}.ndjson"`);
    response.send(lines.map((line) => `${line}\n`).join(''));
  }
}
