import 'reflect-metadata';
import { DataSource, MigrationExecutor, type MigrationInterface } from 'typeorm';
import { boundedPoolConfig, type DatabaseTimeouts } from './bounded-connection.js';
import { CONNECTION_TIMEOUT_MS } from './database-unavailable.js';
import { EventStore1732000000000 } from './migrations/1732000000000-event-store.migration.js';
import { Infrastructure1732000000001 } from './migrations/1732000000001-infrastructure.migration.js';
import { AccessLog1732000005000 } from '../access-log/access-log.migration.js';
import { CallerPositions1732000011000 } from '../projections/caller-positions.migration.js';
import { Timers1732000000002 } from './migrations/1732000000002-timers.migration.js';
import { EventHashes1732000000003 } from './migrations/1732000000003-event-hashes.migration.js';
import { SnapshotHistory1732000000004 } from './migrations/1732000000004-snapshot-history.migration.js';
import { AppendWithoutNotify1732000000005 } from './migrations/1732000000005-append-without-notify.migration.js';
import { IdempotencyOwner1732000000006 } from './migrations/1732000000006-idempotency-owner.migration.js';
import { AppendInStreamOrder1732000000007 } from './migrations/1732000000007-append-in-stream-order.migration.js';
import { MerkleLog1732000026000 } from '../tamper-evidence/merkle-log.migration.js';

type MigrationClass = new () => MigrationInterface;

/** Migrations of libs/; each capability in src/ adds its own read-model migrations. */
export const INFRASTRUCTURE_MIGRATIONS: MigrationClass[] = [
  EventStore1732000000000,
  Infrastructure1732000000001,
  Timers1732000000002,
  EventHashes1732000000003,
  SnapshotHistory1732000000004,
  AppendWithoutNotify1732000000005,
  IdempotencyOwner1732000000006,
  AppendInStreamOrder1732000000007,
  AccessLog1732000005000,
  CallerPositions1732000011000,
  MerkleLog1732000026000,
];

export interface DataSourceOptions {
  readonly poolSize?: number;
  /** Names the pool's sessions in pg_stat_activity (see instance-presence.ts). */
  readonly applicationName?: string;
  readonly timeouts?: DatabaseTimeouts;
  /** The sessions' search_path (a blue-green rebuild writes into a schema of its own). */
  readonly searchPath?: string;
}

export function createDataSource(
  url: string,
  migrations: MigrationClass[],
  { poolSize = 10, applicationName = 'read-models', timeouts, searchPath }: DataSourceOptions = {},
): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    migrations: [...INFRASTRUCTURE_MIGRATIONS, ...migrations],
    migrationsRun: false,
    synchronize: false,
    // Bounded in every way (see bounded-connection.ts): a request never waits for ever for a
    // database that is down or stalled, or for a free pooled client; it is answered with 503.
    extra: {
      ...boundedPoolConfig(applicationName, poolSize, timeouts),
      ...(searchPath ? { options: `-c search_path=${searchPath}` } : {}),
    },
  });
}

/**
 * Brings the schema up to date (at every start; migrations are idempotent) through a connection
 * of its own, without the statement and lock bounds of the pools: a migration may rightly take
 * long (a backfill), and a second instance starting at the same time waits for the first one's.
 */
async function migrate(url: string, migrations: MigrationClass[]): Promise<void> {
  const dataSource = new DataSource({
    type: 'postgres',
    url,
    migrations: [...INFRASTRUCTURE_MIGRATIONS, ...migrations],
    extra: {
      max: 1,
      application_name: 'migrations',
      connectionTimeoutMillis: CONNECTION_TIMEOUT_MS,
    },
  });
  await dataSource.initialize();
  try {
    // The lock belongs to a session, so lock and unlock go through one dedicated connection.
    const lock = dataSource.createQueryRunner();
    await lock.connect();
    try {
      await lock.query('SELECT pg_advisory_lock(4711)');
      const executor = new MigrationExecutor(dataSource, lock);
      executor.transaction = 'each';
      await executor.executePendingMigrations();
    } finally {
      await lock.query('SELECT pg_advisory_unlock(4711)').catch(() => undefined);
      await lock.release();
    }
  } finally {
    await dataSource.destroy();
  }
}

/** Migrates, then connects the pool the process works with. */
export async function openDataSource(
  url: string,
  migrations: MigrationClass[],
  options?: DataSourceOptions,
): Promise<DataSource> {
  await migrate(url, migrations);
  const dataSource = createDataSource(url, migrations, options);
  await dataSource.initialize();
  return dataSource;
}
