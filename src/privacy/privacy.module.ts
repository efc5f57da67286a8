import { Global, Module } from '@nestjs/common';
import { PlansModule } from '../plans/plans.module.js';
import { AccessLogViews } from './access-log-views.service.js';
import { CitizenDataQuery } from './citizen-data.query.js';
import { PrivacyController } from './privacy.controller.js';
import { PrivacyLens } from './privacy-lens.js';

/** The lens every read of a family goes through, and the citizens' and overseers' views. */
@Global()
@Module({
  imports: [PlansModule],
  controllers: [PrivacyController],
  providers: [PrivacyLens, AccessLogViews, CitizenDataQuery],
  exports: [PrivacyLens],
})
export class PrivacyModule {}
