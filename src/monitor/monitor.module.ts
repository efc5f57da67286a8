import { Module } from '@nestjs/common';
import { MonitorConcernsProjection } from './monitor-concerns.projection.js';
import { MonitorConcernsQuery } from './monitor-concerns.query.js';
import { MonitorFactsProjection } from './monitor-facts.projection.js';
import { MonitorController, MonitorReaderGuard } from './monitor.controller.js';
import { MonitorQuery } from './monitor.query.js';

/** The policy monitor (issue 6): aggregates over the figures its own projection keeps. */
@Module({
  controllers: [MonitorController],
  providers: [
    MonitorQuery,
    MonitorReaderGuard,
    MonitorFactsProjection,
    MonitorConcernsQuery,
    MonitorConcernsProjection,
  ],
  exports: [MonitorFactsProjection, MonitorConcernsProjection],
})
export class MonitorModule {}
