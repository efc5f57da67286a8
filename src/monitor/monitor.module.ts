import { Module } from '@nestjs/common';
import { MonitorFactsProjection } from './monitor-facts.projection.js';
import { MonitorController, MonitorReaderGuard } from './monitor.controller.js';
import { MonitorQuery } from './monitor.query.js';

/** The policy monitor (issue 6): aggregates over the figures its own projection keeps. */
@Module({
  controllers: [MonitorController],
  providers: [MonitorQuery, MonitorReaderGuard, MonitorFactsProjection],
  exports: [MonitorFactsProjection],
})
export class MonitorModule {}
