import { Module } from '@nestjs/common';
import { PlansModule } from '../plans/plans.module.js';
import { CitizenDataController } from './citizen-data.controller.js';
import { CitizenDataQuery } from './citizen-data.query.js';

/** A citizen's inzage of their own data (AVG art. 15): who they are here, consents, plan. */
@Module({
  imports: [PlansModule],
  controllers: [CitizenDataController],
  providers: [CitizenDataQuery],
})
export class CitizenDataModule {}
