import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource, EntityManager } from 'typeorm';
import { createTestDatabase } from '../../test/support/test-database.js';
import { SystemClock } from '../clock/index.js';
import { openDataSource } from '../database/data-source.js';
import type { RecordedEvent } from '../event-store/event-envelope.js';
import type { EventStore, ReadAllOptions } from '../event-store/event-store.port.js';
import { ANY } from '../event-store/expected-version.js';
import { PostgresEventStore } from '../event-store/postgres/postgres-event-store.js';
import { comparePositions } from '../event-store/position.js';
import { testEvent, testStream } from '../event-store/testing/event-fixtures.js';
import { EventSchemaRegistry } from '../event-store/upcasting.js';
import { retryDelayMs } from '../database/database-unavailable.js';
import type { Projection } from './projection.js';
import { ProjectionRunner } from './projection-runner.js';

/** Counts its events per stream; throws on an event whose data names it as the one to refuse. */
class TallyProjection implements Projection {
  readonly tables: string[] = [];
  constructor(
    readonly name: string,
    readonly eventTypes: string[],
  ) {}

  async apply(event: RecordedEvent, manager: EntityManager): Promise<void> {
    if ((event.data as { refuse?: string }).refuse === this.name) throw new Error('refused');
    await manager.query(
      `INSERT INTO follow_tallies (projection, count) VALUES ($1, 1)
       ON CONFLICT (projection) DO UPDATE SET count = follow_tallies.count + 1`,
      [this.name],
    );
  }
}

/** Fails as a database that is down does (lock_timeout) while `down`; remembers its failures. */
class OutageProjection implements Projection {
  readonly name = 'outage';
  readonly tables: string[] = [];
  readonly eventTypes = ['test.Outage'];
  down = false;
  failures = 0;
  lastFailureAt = 0;
  applied = 0;

  async apply(): Promise<void> {
    if (this.down) {
      this.failures += 1;
      this.lastFailureAt = Date.now();
      throw Object.assign(new Error('canceling statement due to lock timeout'), { code: '55P03' });
    }
    this.applied += 1;
  }
}

describe('ProjectionRunner following live appends in one loop', () => {
  let dataSource: DataSource;
  let store: PostgresEventStore;
  const clock = new SystemClock();
  const reads = { withEvents: 0 };
  let counting: EventStore;

  beforeAll(async () => {
    const url = await createTestDatabase('follow_all');
    dataSource = await openDataSource(url, []);
    store = new PostgresEventStore({
      connectionString: url,
      schemas: new EventSchemaRegistry(),
      clock,
      pollIntervalMs: 20,
    });
    counting = Object.create(store) as EventStore;
    counting.readAll = async (options: ReadAllOptions) => {
      const events = await store.readAll(options);
      if (events.length > 0) reads.withEvents += 1;
      return events;
    };
    await dataSource.query(
      'CREATE TABLE follow_tallies (projection text PRIMARY KEY, count int NOT NULL)',
    );
  });
  afterAll(async () => {
    await store?.close();
    await dataSource?.destroy();
  });

  const tallies = async (): Promise<Record<string, number>> => {
    const rows: Array<{ projection: string; count: number }> = await dataSource.query(
      'SELECT projection, count FROM follow_tallies',
    );
    return Object.fromEntries(rows.map((r) => [r.projection, r.count]));
  };
  const start = async () => {
    const runner = new ProjectionRunner(
      dataSource,
      counting,
      [
        new TallyProjection('a', ['test.A']),
        new TallyProjection('b', ['test.B']),
        new TallyProjection('c', ['test.A', 'test.B']),
      ],
      clock,
      { batchSize: 50, onError: 'stop', pollIntervalMs: 20 },
    );
    await runner.start();
    return runner;
  };

  it('reads a new event once for all projections, and moves those it does not concern too', async () => {
    const runner = await start();
    try {
      const head = await store.headPosition();
      if (head) expect(await runner.waitFor(head, 10_000)).toBe(true);
      reads.withEvents = 0;

      const { position } = await store.appendToStream(testStream(), [testEvent('test.A')], {
        expectedVersion: ANY,
      });

      expect(await runner.waitFor(position, 10_000)).toBe(true);
      expect(reads.withEvents).toBe(1);
      for (const c of await runner.checkpointStore.many(['a', 'b', 'c'])) {
        expect(comparePositions(c.position, position)).toBe(0);
      }
      expect(await tallies()).toEqual({ a: 1, c: 1 });
    } finally {
      await runner.stop();
    }
  });

  it('goes on following the others when a poison event stops one', async () => {
    const runner = await start();
    try {
      const poison = testEvent('test.B', { refuse: 'b' });
      await store.appendToStream(testStream(), [poison], { expectedVersion: ANY });
      const { position } = await store.appendToStream(
        testStream(),
        [testEvent('test.A'), testEvent('test.B')],
        { expectedVersion: ANY },
      );

      expect(await runner.waitFor(position, 10_000, ['a', 'c'])).toBe(true);
      const b = await runner.checkpointStore.get('b');
      expect(b.status).toBe('failed');
      expect(b.error).toContain(poison.metadata.eventId);
      expect(await tallies()).toEqual({ a: 2, c: 4 });
    } finally {
      await runner.stop();
    }
  });

  it('tries a projection again as soon as something changes, not only when its back-off ends', async () => {
    const outage = new OutageProjection();
    const runner = new ProjectionRunner(dataSource, store, [outage], clock, {
      batchSize: 50,
      onError: 'stop',
      pollIntervalMs: 20,
    });
    await runner.start();
    try {
      outage.down = true;
      await store.appendToStream(testStream(), [testEvent('test.Outage')], {
        expectedVersion: ANY,
      });
      // Six failures in a row: the back-off has grown from 80 ms to over 2 s.
      while (outage.failures < 6) await new Promise((r) => setTimeout(r, 20));
      outage.down = false;
      const backOffEnds = outage.lastFailureAt + retryDelayMs(outage.failures, 80, 5_000);
      // The database is back; a new event wakes the runner (as the LISTEN connection does).
      const { position } = await store.appendToStream(testStream(), [testEvent('test.Outage')], {
        expectedVersion: ANY,
      });

      expect(await runner.waitFor(position, 10_000, ['outage'])).toBe(true);
      expect(Date.now()).toBeLessThan(backOffEnds);
      expect(outage.applied).toBe(2);
    } finally {
      await runner.stop();
    }
  });
});
