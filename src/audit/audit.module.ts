import { Module } from '@nestjs/common';
import { FamiliesModule } from '../families/families.module.js';
import { PlansModule } from '../plans/plans.module.js';
import { AuditController } from './audit.controller.js';
import { AuditSealsController } from './audit-seals.controller.js';
import { TamperEvidenceService } from './tamper-evidence.service.js';
import { AuditFamilyStreamsProjection } from './audit-family-streams.projection.js';
import { AuditService } from './audit.service.js';

@Module({
  imports: [FamiliesModule, PlansModule],
  controllers: [AuditController, AuditSealsController],
  providers: [AuditService, AuditFamilyStreamsProjection, TamperEvidenceService],
  exports: [AuditService, AuditFamilyStreamsProjection, TamperEvidenceService],
})
export class AuditModule {}
