import { Controller, Get, Inject, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { IsISO8601, IsOptional, IsUUID } from 'class-validator';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { Response } from 'express';
import { AccessPointOf, type AccessPoint } from '#libs/access-log/access-point.decorator.js';
import type { AuthUser } from '#libs/auth/auth-user.js';
import { CurrentUser } from '#libs/auth/jwt-auth.guard.js';
import { UuidParam } from '#libs/http/param-pipes.js';
import { AuditService } from './audit.service.js';
import { ApiView } from '#libs/http/openapi/api-operation.decorators.js';
import {
  AuditHistoryDto,
  AuditStateDto,
  AuditVerificationDto,
  NDJSON_EXPORT,
} from './dto/audit-views.dto.js';
import { FamilyProofDto } from './dto/audit-seals.dto.js';

export class AsOfDto {
  @ApiProperty({
    example: '2027-01-15T09:00:00Z',
    description: 'The moment to show the case as it was',
  })
  @IsISO8601({ strict: true })
  asOf!: string;
}

export class ProofQueryDto {
  @ApiPropertyOptional({
    format: 'uuid',
    description: 'The seal to prove against (default: the latest)',
  })
  @IsOptional()
  @IsUUID()
  sealId?: string;
}

/** For auditors: what happened, who did it, and what the case looked like at any past moment. */
@ApiTags('audit')
@ApiBearerAuth()
@Controller('api/v1/audit/families/:familyId')
export class AuditController {
  constructor(@Inject(AuditService) private readonly audit: AuditService) {}

  @Get('history')
  @ApiView({
    operationId: 'getAuditHistory',
    summary: "Every event of the family's streams, in global order (auditors)",
    description: 'Personal data stays sealed (`[sealed]`). 404 for anybody but an auditor.',
    response: AuditHistoryDto,
    problems: [404],
  })
  history(
    @UuidParam('familyId') familyId: string,
    @CurrentUser() user: AuthUser,
    @AccessPointOf() accessPoint: AccessPoint,
  ) {
    return this.audit.history(familyId, user, accessPoint);
  }

  @Get('state')
  @ApiView({
    operationId: 'getAuditState',
    summary: 'The family and plan as they were at a past moment (auditors)',
    response: AuditStateDto,
    problems: [404],
  })
  state(
    @UuidParam('familyId') familyId: string,
    @Query() query: AsOfDto,
    @CurrentUser() user: AuthUser,
    @AccessPointOf() accessPoint: AccessPoint,
  ) {
    return this.audit.stateAsOf(familyId, new Date(query.asOf), user, accessPoint);
  }

  /** Recomputes the hash chain of every stream of the family and names the first broken link. */
  @Get('verification')
  @ApiView({
    operationId: 'verifyAuditTrail',
    summary: "Recompute the hash chain of the family's streams (auditors)",
    description: 'Names the first broken link: `hash-mismatch` or `chain-broken`.',
    response: AuditVerificationDto,
    problems: [404],
  })
  verification(
    @UuidParam('familyId') familyId: string,
    @CurrentUser() user: AuthUser,
    @AccessPointOf() accessPoint: AccessPoint,
  ) {
    return this.audit.verification(familyId, user, accessPoint);
  }

  @Get('proof')
  @ApiView({
    operationId: 'getFamilyProof',
    summary: "The family's sealed events with inclusion proofs against a seal (auditors)",
    description:
      'Each event with the exact texts its chain hash covers, its leaf and its RFC 9162 ' +
      'inclusion proof; check it offline with scripts/verify-family-proof.mjs and the public ' +
      'key (docs/tamper-evidence.md). 404 for an unknown family or seal, or before the first seal.',
    response: FamilyProofDto,
    problems: [404],
  })
  proof(
    @UuidParam('familyId') familyId: string,
    @Query() query: ProofQueryDto,
    @CurrentUser() user: AuthUser,
    @AccessPointOf() accessPoint: AccessPoint,
  ) {
    return this.audit.proof(familyId, user, accessPoint, query.sealId);
  }

  @Get('export')
  @ApiView({
    operationId: 'exportAuditHistory',
    summary: 'The history as CloudEvents 1.0, one JSON object per line (auditors)',
    response: NDJSON_EXPORT,
    problems: [404],
  })
  async export(
    @UuidParam('familyId') familyId: string,
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
