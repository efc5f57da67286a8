import 'reflect-metadata';
import { DataSource, type MigrationInterface } from 'typeorm';
import { CONNECTION_TIMEOUT_MS } from './database-unavailable.js';
import { EventStore1732000000000 } from './migrations/1732000000000-event-store.migration.js';
import { Infrastructure1732000000001 } from './migrations/1732000000001-infrastructure.migration.js';
import { AccessLog1732000005000 } from '../access-log/access-log.migration.js';
import { CallerPositions1732000011000 } from '../projections/caller-positions.migration.js';
import { Timers1732000000002 } from './migrations/1732000000002-timers.migration.js';
import { EventHashes1732000000003 } from './migrations/1732000000003-event-hashes.migration.js';
import { SnapshotHistory1732000000004 } from './migrations/1732000000004-snapshot-history.migration.js';
import { AppendWithoutNotify1732000000005 } from './migrations/1732000000005-append-without-notify.migration.js';

type MigrationClass = new () => MigrationInterface;

/** Migrations of libs/; each capability in src/ adds its own read-model migrations. */
export const INFRASTRUCTURE_MIGRATIONS: MigrationClass[] = [
  EventStore1732000000000,
  Infrastructure1732000000001,
  Timers1732000000002,
  EventHashes1732000000003,
  SnapshotHistory1732000000004,
  AppendWithoutNotify1732000000005,
  AccessLog1732000005000,
  CallerPositions1732000011000,
];

export function createDataSource(
  url: string,
  migrations: MigrationClass[],
  poolSize = 10,
): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    migrations: [...INFRASTRUCTURE_MIGRATIONS, ...migrations],
    migrationsRun: false,
    synchronize: false,
    // Without a connection timeout a request waits for ever for a database that is down (and
    // for a free pooled client): bounded, it fails fast and is answered with 503.
    extra: {
      max: poolSize,
      application_name: 'read-models',
      connectionTimeoutMillis: CONNECTION_TIMEOUT_MS,
    },
  });
}

/** Connects and brings the schema up to date (run at every start; migrations are idempotent). */
export async function openDataSource(
  url: string,
  migrations: MigrationClass[],
  poolSize?: number,
): Promise<DataSource> {
  const dataSource = createDataSource(url, migrations, poolSize);
  await dataSource.initialize();
  // Two instances starting together must not both run a migration. The lock belongs to a
  // session, so lock and unlock go through one dedicated connection.
  const lock = dataSource.createQueryRunner();
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock(4711)');
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await lock.query('SELECT pg_advisory_unlock(4711)').catch(() => undefined);
    await lock.release();
  }
  return dataSource;
}
