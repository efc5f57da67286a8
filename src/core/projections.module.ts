import {
  Inject,
  Module,
  type DynamicModule,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type Type,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/app.config.js';
import { CLOCK, type Clock } from '#libs/clock/index.js';
import { EVENT_STORE, type EventStore } from '#libs/event-store/event-store.port.js';
import { CONSISTENCY_WAITER } from '#libs/http/consistency.interceptor.js';
import { LOGGER, type Logger } from '#libs/observability/logger.js';
import { Metrics } from '#libs/observability/metrics.js';
import type { Projection } from '#libs/projections/projection.js';
import { ProjectionRunner } from '#libs/projections/projection-runner.js';
import { ReadYourWrites } from '#libs/projections/read-your-writes.js';

class ProjectionLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(ProjectionRunner) private readonly runner: ProjectionRunner,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.PROJECTIONS_ENABLED) await this.runner.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.runner.stop();
  }
}

/** Runs the given projections in the background of the server (unless PROJECTIONS_ENABLED=false). */
@Module({})
export class ProjectionsModule {
  static forRoot(
    modules: Array<Type | DynamicModule>,
    projections: Array<Type<Projection>>,
  ): DynamicModule {
    return {
      module: ProjectionsModule,
      global: true,
      imports: modules,
      providers: [
        {
          provide: ProjectionRunner,
          inject: [DataSource, EVENT_STORE, CLOCK, APP_CONFIG, Metrics, LOGGER, ...projections],
          useFactory: (
            dataSource: DataSource,
            store: EventStore,
            clock: Clock,
            config: AppConfig,
            metrics: Metrics,
            logger: Logger,
            ...instances: Projection[]
          ) =>
            new ProjectionRunner(dataSource, store, instances, clock, {
              batchSize: config.PROJECTION_BATCH_SIZE,
              rebuildBatchSize: config.PROJECTION_REBUILD_PAGE,
              onError: config.PROJECTION_ON_ERROR,
              logger: {
                info: (obj, msg) => logger.info(obj, msg),
                warn: (obj, msg) => logger.warn(obj, msg),
                error: (obj, msg) => logger.error(obj, msg),
              },
              onBatch: (name, events, lag) => {
                metrics.projectionLag.set({ projection: name }, lag);
                if (events > 0) metrics.projectionEvents.inc({ projection: name }, events);
              },
            }),
        },
        {
          provide: CONSISTENCY_WAITER,
          inject: [DataSource, ProjectionRunner],
          useFactory: (dataSource: DataSource, runner: ProjectionRunner) =>
            new ReadYourWrites(dataSource, runner),
        },
        ProjectionLifecycle,
      ],
      exports: [ProjectionRunner, CONSISTENCY_WAITER],
    };
  }
}
