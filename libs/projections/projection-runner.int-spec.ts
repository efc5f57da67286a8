import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource, EntityManager } from 'typeorm';
import { createTestDatabase } from '../../test/support/test-database.js';
import { SystemClock } from '../clock/index.js';
import { openDataSource } from '../database/data-source.js';
import type { RecordedEvent } from '../event-store/event-envelope.js';
import { ANY } from '../event-store/expected-version.js';
import { PostgresEventStore } from '../event-store/postgres/postgres-event-store.js';
import { comparePositions } from '../event-store/position.js';
import { testEvent, testStream } from '../event-store/testing/event-fixtures.js';
import { EventSchemaRegistry } from '../event-store/upcasting.js';
import type { Projection } from './projection.js';
import { ProjectionRunner } from './projection-runner.js';

/** Counts test.Counted events per stream; throws on an event whose data says poison. */
class CountingProjection implements Projection {
  readonly tables = ['counter_views'];
  readonly eventTypes: string[];
  /** Each test counts its own event type, so events of earlier tests pass by unnoticed. */
  constructor(
    readonly name: string,
    type: string,
  ) {
    this.eventTypes = [type];
  }

  async apply(event: RecordedEvent, manager: EntityManager): Promise<void> {
    if ((event.data as { poison?: boolean }).poison) throw new Error('cannot count this');
    await manager.query(
      `INSERT INTO counter_views (stream_id, count) VALUES ($1, 1)
       ON CONFLICT (stream_id) DO UPDATE SET count = counter_views.count + 1`,
      [event.streamId],
    );
  }
}

describe('ProjectionRunner', () => {
  let dataSource: DataSource;
  let store: PostgresEventStore;
  const clock = new SystemClock();

  beforeAll(async () => {
    const url = await createTestDatabase('projections');
    dataSource = await openDataSource(url, []);
    store = new PostgresEventStore({
      connectionString: url,
      schemas: new EventSchemaRegistry(),
      clock,
      pollIntervalMs: 50,
    });
  });
  afterAll(async () => {
    await store?.close();
    await dataSource?.destroy();
  });

  async function freshTable(): Promise<void> {
    await dataSource.query('DROP TABLE IF EXISTS counter_views');
    await dataSource.query(
      'CREATE TABLE counter_views (stream_id text PRIMARY KEY, count int NOT NULL)',
    );
    await dataSource.query('DELETE FROM projection_checkpoints');
    await dataSource.query('DELETE FROM parked_events');
  }

  async function counts(): Promise<Record<string, number>> {
    const rows: Array<{ stream_id: string; count: number }> = await dataSource.query(
      'SELECT * FROM counter_views',
    );
    return Object.fromEntries(rows.map((r) => [r.stream_id, r.count]));
  }

  const runner = (projection: Projection, onError: 'stop' | 'park' = 'stop') =>
    new ProjectionRunner(dataSource, store, [projection], clock, {
      batchSize: 7,
      onError,
      pollIntervalMs: 50,
    });

  it('applies each event exactly once even with two runners racing on one projection', async () => {
    await freshTable();
    const streams = [testStream(), testStream(), testStream()];
    for (let i = 0; i < 60; i += 1) {
      await store.appendToStream(
        streams[i % 3],
        [testEvent('test.Raced'), testEvent('test.Ignored')],
        { expectedVersion: ANY },
      );
    }
    const a = runner(new CountingProjection('counter', 'test.Raced'));
    const b = runner(new CountingProjection('counter', 'test.Raced'));

    await Promise.all([a.catchUp('counter'), b.catchUp('counter')]);

    expect(await counts()).toEqual({ [streams[0]]: 20, [streams[1]]: 20, [streams[2]]: 20 });
  });

  it('gives the same checksum on two rebuilds, and the same as the live projection', async () => {
    await freshTable();
    for (let i = 0; i < 30; i += 1) {
      await store.appendToStream(testStream(), [testEvent('test.Rebuilt')], {
        expectedVersion: ANY,
      });
    }
    const r = runner(new CountingProjection('counter', 'test.Rebuilt'));
    await r.catchUp('counter');
    const live = await r.checksum('counter');

    const first = await r.rebuild('counter');
    const second = await r.rebuild('counter');

    expect(first.checksum).toBe(live);
    expect(second.checksum).toBe(first.checksum);
    expect(first.events).toBeGreaterThanOrEqual(30);
    await dataSource.query(
      `UPDATE counter_views SET count = count + 1 WHERE stream_id = (SELECT min(stream_id) FROM counter_views)`,
    );
    expect(await r.checksum('counter')).not.toBe(first.checksum);
  });

  it('stops only the failing projection on a poison event, naming the event, and keeps what came before', async () => {
    await freshTable();
    const stream = testStream();
    await store.appendToStream(stream, [testEvent('test.Stopped'), testEvent('test.Stopped')], {
      expectedVersion: ANY,
    });
    const poison = testEvent('test.Stopped', { poison: true });
    await store.appendToStream(stream, [poison], { expectedVersion: ANY });
    await store.appendToStream(stream, [testEvent('test.Stopped')], { expectedVersion: ANY });
    const failing = new CountingProjection('failing', 'test.Stopped');
    const healthy: Projection = {
      name: 'healthy',
      tables: [],
      eventTypes: ['test.Stopped'],
      apply: async () => undefined,
    };
    const r = new ProjectionRunner(dataSource, store, [failing, healthy], clock, {
      batchSize: 100,
      onError: 'stop',
    });

    await expect(r.catchUp('failing')).rejects.toThrow(poison.metadata.eventId);
    await r.catchUp('healthy');

    const checkpoint = await r.checkpointStore.get('failing');
    expect(checkpoint.status).toBe('failed');
    expect(checkpoint.error).toContain('test.Stopped.v1');
    expect(checkpoint.error).toContain(poison.metadata.eventId);
    expect(checkpoint.failedEvent).toMatchObject({
      eventId: poison.metadata.eventId,
      streamVersion: 2,
    });
    expect((await counts())[stream]).toBe(2);
    const head = await store.headPosition();
    expect(comparePositions((await r.checkpointStore.get('healthy')).position, head!)).toBe(0);
    expect(await r.waitFor(head!, 1000, ['failing'])).toBe(false);
  });

  it('parks a poison event when configured to, and goes on', async () => {
    await freshTable();
    const stream = testStream();
    const poison = testEvent('test.Parked', { poison: true });
    await store.appendToStream(
      stream,
      [testEvent('test.Parked'), poison, testEvent('test.Parked')],
      { expectedVersion: ANY },
    );
    const r = runner(new CountingProjection('parking', 'test.Parked'), 'park');

    await r.catchUp('parking');

    expect((await counts())[stream]).toBe(2);
    const parked: Array<{ event_id: string; error: string }> = await dataSource.query(
      'SELECT event_id, error FROM parked_events',
    );
    expect(parked).toEqual([{ event_id: poison.metadata.eventId, error: 'cannot count this' }]);
    expect((await r.checkpointStore.get('parking')).status).toBe('running');
  });

  it.each(['stop', 'park'] as const)(
    'retries a batch whose connection is cut inside a handler (on error: %s), neither stopping nor parking',
    async (onError) => {
      await freshTable();
      const counting = new CountingProjection('cut', 'test.Cut');
      let cuts = 0;
      const flaky: Projection = {
        name: counting.name,
        tables: counting.tables,
        eventTypes: counting.eventTypes,
        async apply(event, manager) {
          if (cuts < 2) {
            cuts += 1;
            // What a Postgres restart does to the connection: 57P01, admin_shutdown.
            await manager.query('SELECT pg_terminate_backend(pg_backend_pid())');
          }
          await counting.apply(event, manager);
        },
      };
      const r = runner(flaky, onError);
      await r.start();
      try {
        const stream = testStream();
        const { position } = await store.appendToStream(
          stream,
          [testEvent('test.Cut'), testEvent('test.Cut')],
          { expectedVersion: ANY },
        );
        expect(await r.waitFor(position, 10_000)).toBe(true);
        expect(cuts).toBe(2);
        expect((await counts())[stream]).toBe(2);
        expect((await r.checkpointStore.get('cut')).status).toBe('running');
        expect(await dataSource.query('SELECT event_id FROM parked_events')).toEqual([]);
      } finally {
        await r.stop();
      }
    },
  );

  it('follows live appends in the background once started', async () => {
    await freshTable();
    const r = runner(new CountingProjection('live', 'test.Live'));
    await r.start();
    try {
      const stream = testStream();
      const { position } = await store.appendToStream(stream, [testEvent('test.Live')], {
        expectedVersion: ANY,
      });
      expect(await r.waitFor(position, 5000)).toBe(true);
      expect((await counts())[stream]).toBe(1);
    } finally {
      await r.stop();
    }
  });
});
