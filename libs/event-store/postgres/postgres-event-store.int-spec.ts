import pg from 'pg';
import { createTestDatabase } from '../../../test/support/test-database.js';
import { openDataSource } from '../../database/data-source.js';
import { withEventHashes } from '../testing/event-hashes-migration.js';
import { describeEventStoreContract } from '../testing/event-store.contract.js';
import { buildAppendQuery, PostgresEventStore } from './postgres-event-store.js';

let url: Promise<string> | undefined;

/** One database for the suite, migrated once. */
function database(): Promise<string> {
  url ??= createTestDatabase('contract').then(async (u) => {
    const ds = await openDataSource(u, withEventHashes());
    await ds.destroy();
    return u;
  });
  return url;
}

describeEventStoreContract('postgres', async (schemas, clock) => {
  const connectionString = await database();
  const store = new PostgresEventStore({ connectionString, schemas, clock, pollIntervalMs: 100 });
  return {
    store,
    appendHeldOpen: async (streamId, events, holdMs) => {
      const client = new pg.Client({ connectionString });
      await client.connect();
      try {
        await client.query('BEGIN');
        await client.query(buildAppendQuery(streamId, events, 'any', schemas, clock.now()));
        await new Promise((r) => setTimeout(r, holdMs));
        await client.query('COMMIT');
      } finally {
        await client.end();
      }
    },
    dispose: () => store.close(),
  };
});
