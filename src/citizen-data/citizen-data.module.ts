import { Global, Module } from '@nestjs/common';
import { PlansModule } from '../plans/plans.module.js';
import { WithheldFromMember } from '../privacy/withheld-from-member.port.js';
import { CitizenConcerns } from './citizen-concerns.js';
import { CitizenConcernsProjection } from './citizen-concerns.projection.js';
import { CitizenDataController } from './citizen-data.controller.js';
import { CitizenDataQuery } from './citizen-data.query.js';

/**
 * A citizen's inzage of their own data (AVG art. 15): who they are here, consents, plan, the
 * concerns about them. Global for WithheldFromMember: privacy, below it, asks it what of the
 * access log a member may not see yet.
 */
@Global()
@Module({
  imports: [PlansModule],
  controllers: [CitizenDataController],
  providers: [
    CitizenDataQuery,
    CitizenConcerns,
    { provide: WithheldFromMember, useExisting: CitizenConcerns },
    CitizenConcernsProjection,
  ],
  exports: [WithheldFromMember, CitizenConcernsProjection],
})
export class CitizenDataModule {}
