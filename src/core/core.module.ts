import { Global, Module, type DynamicModule } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../../config/app.config.js';
import { AccessLog } from '#libs/access-log/access-log.js';
import { AggregateRepository } from '#libs/aggregates/aggregate-repository.js';
import { CLOCK } from '#libs/clock/index.js';
import { EVENT_STORE } from '#libs/event-store/event-store.port.js';
import { EventSchemaRegistry } from '#libs/event-store/upcasting.js';
import { InstancePresence } from '#libs/database/instance-presence.js';
import { DatabaseOutage } from '#libs/observability/database-outage.js';
import { LOGGER } from '#libs/observability/logger.js';
import { Metrics } from '#libs/observability/metrics.js';
import { PersonalDataVault } from '#libs/personal-data/personal-data-vault.js';
import type { Infrastructure } from './infrastructure.js';
import { CommandPipeline } from '#libs/deciders/command-pipeline.js';

export const INFRASTRUCTURE = Symbol('INFRASTRUCTURE');

/** Makes the process's long-lived resources injectable everywhere. */
@Global()
@Module({})
export class CoreModule {
  static forRoot(infra: Infrastructure): DynamicModule {
    const providers = [
      { provide: INFRASTRUCTURE, useValue: infra },
      { provide: APP_CONFIG, useValue: infra.config },
      { provide: CLOCK, useValue: infra.clock },
      { provide: DataSource, useValue: infra.dataSource },
      { provide: EVENT_STORE, useValue: infra.eventStore },
      { provide: EventSchemaRegistry, useValue: infra.schemas },
      { provide: PersonalDataVault, useValue: infra.vault },
      { provide: Metrics, useValue: infra.metrics },
      { provide: AggregateRepository, useValue: infra.repository },
      { provide: CommandPipeline, useValue: new CommandPipeline(infra.repository) },
      { provide: AccessLog, useValue: infra.accessLog },
      { provide: LOGGER, useValue: infra.logger },
      { provide: InstancePresence, useValue: infra.presence },
      { provide: DatabaseOutage, useValue: infra.outage },
    ];
    return { module: CoreModule, providers, exports: providers.map((p) => p.provide) };
  }
}
