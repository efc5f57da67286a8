import { Module } from '@nestjs/common';
import { EmergencyAccessCommandService } from './emergency-access.command.js';
import { EmergencyAccessController } from './emergency-access.controller.js';
import { EmergencyAccessProjection } from './emergency-access.projection.js';
import { EmergencyAccessesQuery } from './emergency-accesses.query.js';
import { EmergencySubjectsProjection } from './emergency-subjects.projection.js';
import { GrantEmergencyAccessHandler } from './grant-emergency-access.command.js';
import { ReviewEmergencyAccessHandler } from './review-emergency-access.command.js';

/** Break the glass (api.md, "Emergency access"): grant, review, and what they read from. */
@Module({
  controllers: [EmergencyAccessController],
  providers: [
    EmergencyAccessCommandService,
    GrantEmergencyAccessHandler,
    ReviewEmergencyAccessHandler,
    EmergencyAccessesQuery,
    EmergencyAccessProjection,
    EmergencySubjectsProjection,
  ],
  exports: [EmergencyAccessProjection, EmergencySubjectsProjection],
})
export class EmergencyAccessModule {}
