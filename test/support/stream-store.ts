import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { AggregateRepository, type CommandContext } from '#libs/aggregates/aggregate-repository.js';
import { SystemClock } from '#libs/clock/index.js';
import { openDataSource } from '#libs/database/data-source.js';
import { PostgresEventStore } from '#libs/event-store/postgres/postgres-event-store.js';
import { EventSchemaRegistry } from '#libs/event-store/upcasting.js';
import { createTestDatabase } from './test-database.js';

export interface StreamStore {
  readonly dataSource: DataSource;
  readonly store: PostgresEventStore;
  readonly repository: AggregateRepository;
  close(): Promise<void>;
}

/** A fresh database with the PostgreSQL event store and a repository over it, for libs' int-specs. */
export async function openStreamStore(name: string, snapshotEvery: number): Promise<StreamStore> {
  const url = await createTestDatabase(name);
  const dataSource = await openDataSource(url, []);
  const clock = new SystemClock();
  const store = new PostgresEventStore({
    connectionString: url,
    schemas: new EventSchemaRegistry(),
    clock,
  });
  const repository = new AggregateRepository(store, dataSource, clock, {
    municipality: 'almere',
    snapshotEvery,
  });
  return {
    dataSource,
    store,
    repository,
    async close() {
      await store.close();
      await dataSource.destroy();
    },
  };
}

/** Who acts in a test: a professional of a test organisation. */
export const testContext = (): CommandContext => ({
  actor: { userId: 'tester', organisation: 'Test', role: 'professional' },
  correlationId: randomUUID(),
});
