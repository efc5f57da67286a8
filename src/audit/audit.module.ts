import { Module } from '@nestjs/common';
import { FamiliesModule } from '../families/families.module.js';
import { PlansModule } from '../plans/plans.module.js';
import { AuditController } from './audit.controller.js';
import { AuditFamilyStreamsProjection } from './audit-family-streams.projection.js';
import { AuditService } from './audit.service.js';

@Module({
  imports: [FamiliesModule, PlansModule],
  controllers: [AuditController],
  providers: [AuditService, AuditFamilyStreamsProjection],
  exports: [AuditService, AuditFamilyStreamsProjection],
})
export class AuditModule {}
