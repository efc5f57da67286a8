import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource, EntityManager } from 'typeorm';
import { createTestDatabase } from '../../test/support/test-database.js';
import { SystemClock } from '../clock/index.js';
import { openDataSource } from '../database/data-source.js';
import type { RecordedEvent } from '../event-store/event-envelope.js';
import { ANY } from '../event-store/expected-version.js';
import { PostgresEventStore } from '../event-store/postgres/postgres-event-store.js';
import { testEvent, testStream } from '../event-store/testing/event-fixtures.js';
import { EventSchemaRegistry } from '../event-store/upcasting.js';
import { rebuildBlueGreen } from './blue-green-rebuild.js';
import type { Projection } from './projection.js';
import { ProjectionRunner } from './projection-runner.js';

/** Counts test.Tallied events per stream, and keeps each event's id once (its key). */
class TallyProjection implements Projection {
  readonly name = 'tally';
  readonly tables = ['tally_counts', 'tally_seen'];
  readonly eventTypes = ['test.Tallied'];

  async apply(event: RecordedEvent, manager: EntityManager): Promise<void> {
    await manager.query(
      `INSERT INTO tally_counts (stream_id, count) VALUES ($1, 1)
       ON CONFLICT (stream_id) DO UPDATE SET count = tally_counts.count + 1`,
      [event.streamId],
    );
    await manager.query('INSERT INTO tally_seen (event_id) VALUES ($1)', [event.metadata.eventId]);
  }
}

describe('Blue-green rebuild', () => {
  let url: string;
  let dataSource: DataSource;
  let store: PostgresEventStore;
  const clock = new SystemClock();

  beforeAll(async () => {
    url = await createTestDatabase('blue_green');
    dataSource = await openDataSource(url, []);
    store = new PostgresEventStore({
      connectionString: url,
      schemas: new EventSchemaRegistry(),
      clock,
      pollIntervalMs: 20,
    });
    await dataSource.query(
      `CREATE TABLE tally_counts (stream_id text PRIMARY KEY, count int NOT NULL);
       CREATE INDEX tally_counts_by_count ON tally_counts (count);
       CREATE TABLE tally_seen (event_id uuid PRIMARY KEY)`,
    );
  });
  afterAll(async () => {
    await store?.close();
    await dataSource?.destroy();
  });

  const runner = () =>
    new ProjectionRunner(dataSource, store, [new TallyProjection()], clock, {
      batchSize: 5,
      rebuildBatchSize: 13,
      onError: 'stop',
      pollIntervalMs: 20,
    });
  const counts = async (): Promise<Record<string, number>> => {
    const rows: Array<{ stream_id: string; count: number }> = await dataSource.query(
      'SELECT stream_id, count FROM tally_counts',
    );
    return Object.fromEntries(rows.map((r) => [r.stream_id, r.count]));
  };
  const tally = (n: number) => Array.from({ length: n }, () => testEvent('test.Tallied'));

  it('serves the old complete model while it rebuilds, and the new one after the switch', async () => {
    const streams = [testStream(), testStream(), testStream()];
    for (const s of streams) await store.appendToStream(s, tally(20), { expectedVersion: ANY });
    const r = runner();
    await r.catchUp('tally');
    // The live model as an older version of the code left it: one count is off.
    await dataSource.query('UPDATE tally_counts SET count = 99 WHERE stream_id = $1', [streams[0]]);
    const old = await counts();
    let seenDuring: Record<string, number> | undefined;

    const result = await rebuildBlueGreen(r, dataSource, ['tally'], {
      databaseUrl: url,
      beforeSwitch: async () => {
        seenDuring = await counts();
      },
    });

    expect(seenDuring).toEqual(old);
    expect(await counts()).toEqual({ [streams[0]]: 20, [streams[1]]: 20, [streams[2]]: 20 });
    expect(result.switched).toEqual(['tally']);
    expect(result.checksums.tally).toBe(await r.checksum('tally'));
    expect(result.checksums.tally).toBe((await r.rebuild('tally')).checksum);
    const indexes: Array<{ name: string }> = await dataSource.query(
      `SELECT indexname AS name FROM pg_indexes WHERE tablename = 'tally_counts' ORDER BY 1`,
    );
    expect(indexes.map((i) => i.name)).toEqual(['tally_counts_by_count', 'tally_counts_pkey']);
    const leftovers: Array<{ nspname: string }> = await dataSource.query(
      `SELECT nspname FROM pg_namespace WHERE nspname ~ '^(rebuild|retired)_'`,
    );
    expect(leftovers).toEqual([]);
  });

  it('lets a live follower go on across the switch without losing or repeating an event', async () => {
    const follower = runner();
    await follower.start();
    const streams = [testStream(), testStream()];
    let appended = 0;
    let writing = true;
    const writer = (async () => {
      while (writing) {
        for (const s of streams) await store.appendToStream(s, tally(3), { expectedVersion: ANY });
        appended += 3;
      }
    })();
    try {
      // Some appends before, during and after the rebuild and its switch.
      while (appended < 30) await new Promise((r) => setTimeout(r, 10));
      const result = await rebuildBlueGreen(runner(), dataSource, ['tally'], {
        databaseUrl: url,
      });
      expect(result.switched).toEqual(['tally']);
      const atSwitch = appended;
      while (appended < atSwitch + 30) await new Promise((r) => setTimeout(r, 10));
    } finally {
      writing = false;
      await writer;
    }
    try {
      const head = await store.headPosition();
      expect(await follower.waitFor(head!, 20_000)).toBe(true);
      const now = await counts();
      expect(now[streams[0]]).toBe(appended);
      expect(now[streams[1]]).toBe(appended);
      const [{ rows, distinct }]: Array<{ rows: number; distinct: number }> =
        await dataSource.query(
          'SELECT count(*)::int AS rows, count(DISTINCT event_id)::int AS distinct FROM tally_seen',
        );
      const [{ events }]: Array<{ events: number }> = await dataSource.query(
        `SELECT count(*)::int AS events FROM events WHERE type = 'test.Tallied'`,
      );
      expect(rows).toBe(events);
      expect(distinct).toBe(events);
    } finally {
      await follower.stop();
    }
  });
});
