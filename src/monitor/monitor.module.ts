import { Module } from '@nestjs/common';
import { MonitorController, MonitorReaderGuard } from './monitor.controller.js';
import { MonitorQuery } from './monitor.query.js';

/** The policy monitor (issue 6): read-only aggregates over the read models, no projection. */
@Module({
  controllers: [MonitorController],
  providers: [MonitorQuery, MonitorReaderGuard],
})
export class MonitorModule {}
