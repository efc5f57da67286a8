import { Module, type Type } from '@nestjs/common';
import type { TimerHandler, TimerRule } from '#libs/timers/timer.js';
import { DecideErasureHandler, RequestErasureHandler } from './erasure.commands.js';
import { ErasureController } from './erasure.controller.js';
import { ErasureRequestProjection } from './erasure-request.projection.js';
import { ErasureRequestsQuery } from './erasure-requests.query.js';
import { ErasureShredHandler, ErasureShredRule } from './erasure-shred.timer.js';
import { ErasureService } from './erasure.service.js';
import { RetentionHandler, RetentionRule } from './retention.timer.js';

/**
 * Erasure on request and by retention (crypto-shredding). The timer rules and handlers need only
 * global providers (pipeline, repository, vault, config, and the families' and plans' states),
 * so TimersModule.forRoot takes them without importing this module.
 */
@Module({
  controllers: [ErasureController],
  providers: [
    ErasureService,
    RequestErasureHandler,
    DecideErasureHandler,
    ErasureRequestsQuery,
    ErasureRequestProjection,
  ],
  exports: [ErasureService, ErasureRequestProjection],
})
export class ErasureModule {}

/** For TimersModule.forRoot(rules, ...). */
export const ERASURE_TIMER_RULES: Array<Type<TimerRule>> = [ErasureShredRule, RetentionRule];
/** For TimersModule.forRoot(..., handlers). */
export const ERASURE_TIMER_HANDLERS: Array<Type<TimerHandler>> = [
  ErasureShredHandler,
  RetentionHandler,
];
