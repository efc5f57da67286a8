import { Controller, Get, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '#libs/auth/auth-user.js';
import { CurrentUser, Public } from '#libs/auth/jwt-auth.guard.js';
import { ApiCommand, ApiView } from '#libs/http/openapi/api-operation.decorators.js';
import {
  SealDto,
  SealListDto,
  SealPublicKeyDto,
  StoreVerificationDto,
} from './dto/audit-seals.dto.js';
import { TamperEvidenceService } from './tamper-evidence.service.js';

/** Tamper evidence that holds against someone with database access (api.md). */
@ApiTags('audit')
@ApiBearerAuth()
@Controller('api/v1/audit')
export class AuditSealsController {
  constructor(@Inject(TamperEvidenceService) private readonly evidence: TamperEvidenceService) {}

  @Post('seals')
  @HttpCode(201)
  @ApiCommand({
    operationId: 'sealAuditTrail',
    summary: 'Seal every event stored up to now (auditors, admins)',
    description:
      'Also made by itself every SEAL_EVERY_EVENTS events and SEAL_INTERVAL_MINUTES. Signed with ' +
      'a key the database never holds, and copied to a sink outside the database.',
    response: SealDto,
    status: 201,
    problems: [403],
    idempotencyKey: false,
  })
  seal(@CurrentUser() user: AuthUser) {
    return this.evidence.seal(user);
  }

  @Get('seals')
  @ApiView({
    operationId: 'listSeals',
    summary: 'Every seal, oldest first (auditors, admins)',
    description:
      'As the database holds them; GET /audit/verification checks them against the sink.',
    response: SealListDto,
    problems: [403],
  })
  seals(@CurrentUser() user: AuthUser) {
    return this.evidence.seals(user);
  }

  @Public()
  @Get('seals/public-key')
  @ApiView({
    operationId: 'getSealPublicKey',
    summary: 'The public key seals are signed with, as a JWK (no token needed)',
    description:
      'Ed25519 (RFC 8037); kid is the keyId of every seal it signed. Compare it with the key the ' +
      'municipality publishes by another route.',
    response: SealPublicKeyDto,
    isPublic: true,
  })
  publicKey() {
    return this.evidence.publicKey();
  }

  @Get('verification')
  @ApiView({
    operationId: 'verifyStore',
    summary: 'Check the whole store against its seals (auditors)',
    description:
      'Names every event changed, removed, inserted or moved since it was sealed, every broken ' +
      'hash chain, and every seal that is forged, edited, missing from the sink or removed.',
    response: StoreVerificationDto,
    problems: [403],
  })
  verification(@CurrentUser() user: AuthUser) {
    return this.evidence.verifyStore(user);
  }
}
