import {
  Inject,
  Injectable,
  Module,
  type DynamicModule,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/app.config.js';
import { CLOCK, type Clock } from '#libs/clock/index.js';
import { LOGGER, type Logger } from '#libs/observability/logger.js';
import { Metrics } from '#libs/observability/metrics.js';
import { PersonalDataVault } from '#libs/personal-data/personal-data-vault.js';
import { ZAAK_REGISTRATIONS } from '../plans/zaak-registration.port.js';
import { ZgwClient } from './zgw-client.js';
import { ZgwOutboxProjection } from './zgw-outbox.projection.js';
import { ZgwOutboxStatus } from './zgw-outbox.status.js';
import { ZgwOutboxWorker } from './zgw-outbox.worker.js';
import { ZGW_SETTINGS, type ZgwSettings } from './zgw-settings.js';

@Injectable()
class ZgwWorkerLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(ZgwOutboxWorker) private readonly worker: ZgwOutboxWorker,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.ZGW_POLL_MS > 0) this.worker.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.worker.stop();
  }
}

/** The outbox's backlog on /metrics, read when Prometheus scrapes. */
function outboxGauges(metrics: Metrics, status: ZgwOutboxStatus) {
  const gauge = (
    name: string,
    help: string,
    value: (b: Awaited<ReturnType<ZgwOutboxStatus['backlog']>>) => number,
  ) =>
    new Gauge({
      name,
      help,
      registers: [metrics.registry],
      async collect() {
        // The database down: the last value stands (database_reachable says why).
        const backlog = await status.backlog().catch(() => undefined);
        if (backlog) this.set(value(backlog));
      },
    });
  return [
    gauge(
      'zgw_outbox_backlog',
      'Zaaksysteem calls recorded but not yet carried out',
      (b) => b.backlog,
    ),
    gauge(
      'zgw_outbox_oldest_age_seconds',
      'Age of the oldest zaaksysteem call not yet carried out (0 when none)',
      (b) => b.oldestAgeSeconds,
    ),
  ];
}

const OUTBOX_GAUGES = Symbol('OUTBOX_GAUGES');

/**
 * The municipality's zaaksysteem (zgw.md): the outbox projection, the worker that sends it,
 * and what /health, /metrics and the plan view show of it. Built only when configured.
 */
@Module({})
export class ZaaksysteemModule {
  static forRoot(settings: ZgwSettings): DynamicModule {
    return {
      module: ZaaksysteemModule,
      global: true,
      providers: [
        { provide: ZGW_SETTINGS, useValue: settings },
        ZgwOutboxProjection,
        {
          provide: ZgwOutboxWorker,
          inject: [DataSource, PersonalDataVault, APP_CONFIG, LOGGER],
          useFactory: (
            dataSource: DataSource,
            vault: PersonalDataVault,
            config: AppConfig,
            logger: Logger,
          ) =>
            new ZgwOutboxWorker(
              dataSource,
              new ZgwClient(settings.connection),
              vault,
              settings.connection,
              {
                pollMs: config.ZGW_POLL_MS,
                retryBaseMs: Math.min(1000, config.ZGW_RETRY_MAX_MS),
                retryMaxMs: config.ZGW_RETRY_MAX_MS,
                logger: {
                  warn: (obj, msg) => logger.warn(obj, msg),
                  error: (obj, msg) => logger.error(obj, msg),
                },
              },
            ),
        },
        {
          provide: ZgwOutboxStatus,
          inject: [DataSource, CLOCK],
          useFactory: (dataSource: DataSource, clock: Clock) =>
            new ZgwOutboxStatus(dataSource, clock),
        },
        { provide: ZAAK_REGISTRATIONS, useExisting: ZgwOutboxStatus },
        {
          provide: OUTBOX_GAUGES,
          inject: [Metrics, ZgwOutboxStatus],
          useFactory: outboxGauges,
        },
        ZgwWorkerLifecycle,
      ],
      exports: [ZgwOutboxProjection, ZgwOutboxWorker, ZgwOutboxStatus, ZAAK_REGISTRATIONS],
    };
  }
}
