import { Global, Module } from '@nestjs/common';
import { PlansModule } from '../plans/plans.module.js';
import { AccessLogViews } from './access-log-views.service.js';
import { CitizenDataQuery } from './citizen-data.query.js';
import { PrivacyController } from './privacy.controller.js';
import { FamilyActors } from './family-actors.js';
import { PrivacyFactsProjection } from './privacy-facts.projection.js';
import { PrivacyLens } from './privacy-lens.js';

/**
 * The lens every read of a family goes through, the guard of every command on one, and the
 * citizens' and overseers' views.
 */
@Global()
@Module({
  imports: [PlansModule],
  controllers: [PrivacyController],
  providers: [PrivacyLens, FamilyActors, AccessLogViews, CitizenDataQuery, PrivacyFactsProjection],
  exports: [PrivacyLens, FamilyActors, PrivacyFactsProjection],
})
export class PrivacyModule {}
