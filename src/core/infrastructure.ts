import { resolve } from 'node:path';
import type { DestinationStream } from 'pino';
import type { DataSource, MigrationInterface } from 'typeorm';
import type { AppConfig } from '../../config/app.config.js';
import { AccessLog } from '#libs/access-log/access-log.js';
import { AggregateRepository } from '#libs/aggregates/aggregate-repository.js';
import { AdjustableClock, SystemClock, type Clock } from '#libs/clock/index.js';
import { openDataSource } from '#libs/database/data-source.js';
import { InstancePresence, newInstanceId, sessionName } from '#libs/database/instance-presence.js';
import {
  startEmbeddedPostgres,
  type EmbeddedPostgresHandle,
} from '#libs/database/embedded-postgres.js';
import type { EventStore } from '#libs/event-store/event-store.port.js';
import { PostgresEventStore } from '#libs/event-store/postgres/postgres-event-store.js';
import { EventSchemaRegistry } from '#libs/event-store/upcasting.js';
import { DatabaseOutage } from '#libs/observability/database-outage.js';
import { createLogger, type Logger } from '#libs/observability/logger.js';
import { MeteredEventStore } from '#libs/observability/metered-event-store.js';
import { Metrics } from '#libs/observability/metrics.js';
import { PersonalDataVault } from '#libs/personal-data/personal-data-vault.js';
import { localSecret } from './local-secrets.js';

/** The long-lived resources of one process, opened before Nest starts and closed after it. */
export interface Infrastructure {
  readonly config: AppConfig;
  readonly clock: Clock;
  readonly databaseUrl: string;
  readonly dataSource: DataSource;
  readonly eventStore: EventStore;
  readonly schemas: EventSchemaRegistry;
  readonly vault: PersonalDataVault;
  readonly metrics: Metrics;
  readonly repository: AggregateRepository;
  readonly accessLog: AccessLog;
  readonly logger: Logger;
  /** Shows other instances that this one lives (idempotency keys it holds). */
  readonly presence: InstancePresence;
  readonly outage: DatabaseOutage;
  close(): Promise<void>;
}

export interface InfrastructureOptions {
  readonly migrations: Array<new () => MigrationInterface>;
  readonly registerSchemas: (registry: EventSchemaRegistry) => void;
  /** Where log lines go; standard output unless given (tests read them). */
  readonly logDestination?: DestinationStream;
}

async function databaseUrl(
  config: AppConfig,
): Promise<{ url: string; embedded?: EmbeddedPostgresHandle }> {
  if (config.DATABASE_URL) return { url: config.DATABASE_URL };
  const embedded = await startEmbeddedPostgres({
    dataDir: resolve(config.DATA_DIR, 'pg'),
    port: config.EMBEDDED_PG_PORT,
    database: 'egep',
    persistent: true,
  });
  return { url: embedded.connectionString, embedded };
}

/** Loaded only when configured: the gRPC client is heavy and most installs use Postgres. */
async function eventStoreDb(connectionString: string, schemas: EventSchemaRegistry, clock: Clock) {
  const { EventStoreDbEventStore } =
    await import('#libs/event-store/eventstoredb/eventstoredb-event-store.js');
  return new EventStoreDbEventStore({ connectionString, schemas, clock });
}

export async function createInfrastructure(
  config: AppConfig,
  options: InfrastructureOptions,
): Promise<Infrastructure> {
  const start = config.DEV_CLOCK_START ? new Date(config.DEV_CLOCK_START) : undefined;
  const clock = config.isDevelopment ? new AdjustableClock(start) : new SystemClock();
  const logger = createLogger({
    level: config.LOG_LEVEL,
    base: { municipality: config.MUNICIPALITY },
    destination: options.logDestination,
  });
  const { url, embedded } = await databaseUrl(config);
  // Every session of this process carries the instance id (see instance-presence.ts).
  const instanceId = newInstanceId();
  const timeouts = config.databaseTimeouts;
  const dataSource = await openDataSource(url, options.migrations, {
    poolSize: config.DB_POOL_SIZE,
    applicationName: sessionName('read-models', instanceId),
    timeouts,
  });
  const presence = new InstancePresence(instanceId, url, timeouts);
  await presence.start();
  const schemas = new EventSchemaRegistry();
  options.registerSchemas(schemas);
  const metrics = new Metrics();
  const adapter: EventStore =
    config.EVENT_STORE === 'eventstoredb'
      ? await eventStoreDb(config.EVENTSTOREDB_URL!, schemas, clock)
      : new PostgresEventStore({
          connectionString: url,
          schemas,
          clock,
          poolSize: config.DB_POOL_SIZE,
          applicationName: sessionName('event-store', instanceId),
          timeouts,
        });
  const eventStore = new MeteredEventStore(adapter, metrics);
  const masterKey = config.MASTER_KEY
    ? Buffer.from(config.MASTER_KEY, 'base64')
    : localSecret(config.DATA_DIR, 'master');
  const vault = new PersonalDataVault(dataSource, masterKey);
  const outage = new DatabaseOutage({
    logger,
    metrics,
    probe: () => Promise.all([dataSource.query('SELECT 1'), eventStore.ping()]),
  });
  const accessLog = new AccessLog(dataSource, clock);
  const repository = new AggregateRepository(eventStore, dataSource, clock, {
    municipality: config.MUNICIPALITY,
    snapshotEvery: config.SNAPSHOT_EVERY,
  });
  return {
    config,
    clock,
    databaseUrl: url,
    dataSource,
    eventStore,
    schemas,
    vault,
    metrics,
    repository,
    accessLog,
    logger,
    presence,
    outage,
    async close() {
      // Records still waiting for their group are written while the pool is still there.
      await accessLog.close();
      outage.close();
      await eventStore.close().catch(() => undefined);
      await presence.close();
      await dataSource.destroy().catch(() => undefined);
      await embedded?.stop();
    },
  };
}
