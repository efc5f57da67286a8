import { Global, Module } from '@nestjs/common';
import { AccessLogViews } from './access-log-views.service.js';
import { BsnRevealQuery } from './bsn-reveal.query.js';
import { PrivacyController } from './privacy.controller.js';
import { PrivacyFactsProjection } from './privacy-facts.projection.js';
import { PrivacyLens } from './privacy-lens.js';

/** The lens every read of a family goes through, the access log's views and the BSN reveal. */
@Global()
@Module({
  controllers: [PrivacyController],
  providers: [PrivacyLens, AccessLogViews, BsnRevealQuery, PrivacyFactsProjection],
  exports: [PrivacyLens, PrivacyFactsProjection],
})
export class PrivacyModule {}
