import { describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { SystemClock } from '../../clock/index.js';
import { createTestDatabase } from '../../../test/support/test-database.js';
import { openDataSource } from '../../database/data-source.js';
import { testEvent, testStream } from '../testing/event-fixtures.js';
import { withEventHashes } from '../testing/event-hashes-migration.js';
import { EventSchemaRegistry } from '../upcasting.js';
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
    openEmpty: async () => {
      const emptyUrl = await createTestDatabase('contract_empty');
      const ds = await openDataSource(emptyUrl, withEventHashes());
      await ds.destroy();
      const empty = new PostgresEventStore({ connectionString: emptyUrl, schemas, clock });
      return { store: empty, dispose: () => empty.close() };
    },
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

describe('PostgresEventStore wake-ups across processes', () => {
  it('wakes a store of another process after an append, without waiting for its poll', async () => {
    const connectionString = await database();
    const options = {
      connectionString,
      schemas: new EventSchemaRegistry(),
      clock: new SystemClock(),
    };
    const writer = new PostgresEventStore(options);
    const other = new PostgresEventStore(options);
    try {
      let wakeUps = 0;
      other.onAppended(() => (wakeUps += 1));
      // The LISTEN connection wakes everybody once when it connects; count from after that.
      while (wakeUps === 0) await new Promise((r) => setTimeout(r, 10));
      const before = wakeUps;

      await writer.appendToStream(testStream('wake'), [testEvent('test.Woken')], {
        expectedVersion: 'no_stream',
      });
      const deadline = Date.now() + 2000;
      while (wakeUps === before && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 10));
      }

      expect(wakeUps).toBeGreaterThan(before);
    } finally {
      await writer.close();
      await other.close();
    }
  });

  it('sends no NOTIFY from inside append_events: it would serialise every commit', async () => {
    const client = new pg.Client({ connectionString: await database() });
    await client.connect();
    try {
      const { rows } = await client.query<{ body: string }>(
        "SELECT prosrc AS body FROM pg_proc WHERE proname = 'append_events'",
      );
      expect(rows).toHaveLength(1);
      expect(rows[0].body).not.toContain('pg_notify');
      expect(rows[0].body).toContain('event_hash');
    } finally {
      await client.end();
    }
  });
});

describe('PostgresEventStore bounds', () => {
  it('gives up on an append that waits too long for its stream (lock_timeout)', async () => {
    const connectionString = await database();
    const store = new PostgresEventStore({
      connectionString,
      schemas: new EventSchemaRegistry(),
      clock: new SystemClock(),
      timeouts: { statementTimeoutMs: 5_000, lockTimeoutMs: 200 },
    });
    const holder = new pg.Client({ connectionString });
    await holder.connect();
    const streamId = testStream('busy');
    try {
      await store.appendToStream(streamId, [testEvent('test.First')], {
        expectedVersion: 'no_stream',
      });
      await holder.query('BEGIN');
      await holder.query('SELECT 1 FROM event_streams WHERE stream_id = $1 FOR UPDATE', [streamId]);
      await expect(
        store.appendToStream(streamId, [testEvent('test.Second')], { expectedVersion: 'any' }),
      ).rejects.toMatchObject({ code: '55P03' });
    } finally {
      await holder.end();
      await store.close();
    }
  });
});
