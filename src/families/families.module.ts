import { Module } from '@nestjs/common';
import { FamiliesController } from './families.controller.js';
import { FamilyViewQuery } from './family-view.query.js';
import { FamilyProjection } from './family.projection.js';
import { RegisterFamilyHandler } from './register-family.handler.js';

@Module({
  controllers: [FamiliesController],
  providers: [RegisterFamilyHandler, FamilyViewQuery, FamilyProjection],
  exports: [FamilyProjection],
})
export class FamiliesModule {}
