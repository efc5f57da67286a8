import {
  Inject,
  Injectable,
  Module,
  type DynamicModule,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type Type,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/app.config.js';
import { CLOCK, type Clock } from '#libs/clock/index.js';
import { LOGGER, type Logger } from '#libs/observability/logger.js';
import { Metrics } from '#libs/observability/metrics.js';
import { TimerProjection } from '#libs/timers/timer-projection.js';
import { TimerService } from '#libs/timers/timer-service.js';
import type { TimerHandler, TimerRule } from '#libs/timers/timer.js';

@Injectable()
class TimerLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(TimerService) private readonly timers: TimerService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.TIMER_INTERVAL_MS > 0) this.timers.start(this.config.TIMER_INTERVAL_MS);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.timers.stop();
  }
}

/** Durable timers: the capabilities' rules schedule them, their handlers act when due. */
@Module({})
export class TimersModule {
  /** `imports`: the capability modules whose providers the rules and handlers need. */
  static forRoot(
    rules: Array<Type<TimerRule>>,
    handlers: Array<Type<TimerHandler>>,
    imports: Array<Type | DynamicModule> = [],
  ): DynamicModule {
    return {
      module: TimersModule,
      imports,
      providers: [
        ...rules,
        ...handlers,
        {
          provide: TimerProjection,
          inject: rules,
          useFactory: (...instances: TimerRule[]) => new TimerProjection(instances),
        },
        {
          provide: TimerService,
          inject: [DataSource, CLOCK, Metrics, LOGGER, ...handlers],
          useFactory: (
            dataSource: DataSource,
            clock: Clock,
            metrics: Metrics,
            logger: Logger,
            ...instances: TimerHandler[]
          ) =>
            new TimerService(dataSource, clock, instances, {
              logger: {
                warn: (obj, msg) => logger.warn(obj, msg),
                error: (obj, msg) => logger.error(obj, msg),
              },
              onFired: (kind, outcome) => metrics.timersFired.inc({ kind, outcome }),
            }),
        },
        TimerLifecycle,
      ],
      exports: [TimerProjection, TimerService],
    };
  }
}
