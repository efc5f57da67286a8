import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource, EntityManager } from 'typeorm';
import { createTestDatabase } from '../../test/support/test-database.js';
import { SystemClock } from '../clock/index.js';
import { openDataSource } from '../database/data-source.js';
import type { RecordedEvent } from '../event-store/event-envelope.js';
import type { EventStore, ReadAllOptions } from '../event-store/event-store.port.js';
import { ANY } from '../event-store/expected-version.js';
import { PostgresEventStore } from '../event-store/postgres/postgres-event-store.js';
import { testEvent, testStream } from '../event-store/testing/event-fixtures.js';
import { EventSchemaRegistry } from '../event-store/upcasting.js';
import type { Projection } from './projection.js';
import { ProjectionRunner } from './projection-runner.js';

/**
 * Records every event it applies, once per event id (a second time fails on the key), and
 * throws on an event whose data names it as the one to refuse.
 */
class LedgerProjection implements Projection {
  readonly tables: string[];
  constructor(
    readonly name: string,
    readonly eventTypes: string[],
  ) {
    this.tables = [`ledger_${name}`];
  }

  async apply(event: RecordedEvent, manager: EntityManager): Promise<void> {
    if ((event.data as { refuse?: string }).refuse === this.name) throw new Error('refused');
    await manager.query(`INSERT INTO ledger_${this.name} (event_id, stream_id) VALUES ($1, $2)`, [
      event.metadata.eventId,
      event.streamId,
    ]);
  }
}

/** The real store, counting what it was asked to read (how many reads, how many events). */
function countingReads(store: PostgresEventStore) {
  const counted = { reads: 0, events: 0 };
  const wrapped = Object.create(store) as EventStore;
  wrapped.readAll = async (options: ReadAllOptions) => {
    const events = await store.readAll(options);
    counted.reads += 1;
    counted.events += events.length;
    return events;
  };
  return { store: wrapped, counted };
}

describe('ProjectionRunner.rebuildAll (one pass)', () => {
  let dataSource: DataSource;
  let store: PostgresEventStore;
  const clock = new SystemClock();
  const names = ['a', 'b', 'c'];

  beforeAll(async () => {
    const url = await createTestDatabase('rebuild_all');
    dataSource = await openDataSource(url, []);
    store = new PostgresEventStore({
      connectionString: url,
      schemas: new EventSchemaRegistry(),
      clock,
    });
    for (const name of names) {
      await dataSource.query(
        `CREATE TABLE ledger_${name} (event_id uuid PRIMARY KEY, stream_id text NOT NULL)`,
      );
    }
    for (let i = 0; i < 40; i += 1) {
      await store.appendToStream(
        testStream(),
        [testEvent('test.A'), testEvent('test.B'), testEvent('test.Both')],
        { expectedVersion: ANY },
      );
    }
  });
  afterAll(async () => {
    await store?.close();
    await dataSource?.destroy();
  });

  const projections = () => [
    new LedgerProjection('a', ['test.A', 'test.Both']),
    new LedgerProjection('b', ['test.B', 'test.Both']),
    new LedgerProjection('c', ['test.A', 'test.B', 'test.Both']),
  ];
  const options = { batchSize: 7, rebuildBatchSize: 11, onError: 'stop' as const };

  it('reads every event once for all projections and ends with the checksums of per-projection rebuilds', async () => {
    const single = new ProjectionRunner(dataSource, store, projections(), clock, options);
    const expected: Record<string, string> = {};
    for (const name of names) expected[name] = (await single.rebuild(name)).checksum;
    const { store: counting, counted } = countingReads(store);
    const [{ n }]: Array<{ n: number }> = await dataSource.query(
      'SELECT count(*)::int AS n FROM events',
    );

    const result = await new ProjectionRunner(
      dataSource,
      counting,
      projections(),
      clock,
      options,
    ).rebuildAll(names);

    expect(result.checksums).toEqual(expected);
    expect(result.failed).toEqual({});
    expect(result.events).toBe(n);
    expect(counted.events).toBe(n);
    // Pages of 11, each read once (after a full last page, one read ahead finds nothing).
    expect(counted.reads).toBe(Math.floor(n / 11) + 1);
    for (const name of names) {
      const [{ rows, distinct }]: Array<{ rows: number; distinct: number }> =
        await dataSource.query(
          `SELECT count(*)::int AS rows, count(DISTINCT event_id)::int AS distinct FROM ledger_${name}`,
        );
      expect(rows).toBe(name === 'c' ? 120 : 80);
      expect(distinct).toBe(rows);
    }
  });

  it('stops only the projection a poison event fails, and rebuilds the others to the end', async () => {
    const poison = testEvent('test.Both', { refuse: 'b' });
    await store.appendToStream(testStream(), [poison, testEvent('test.Both')], {
      expectedVersion: ANY,
    });
    const runner = new ProjectionRunner(dataSource, store, projections(), clock, options);

    const result = await runner.rebuildAll(names);

    expect(Object.keys(result.failed)).toEqual(['b']);
    expect(result.failed.b).toContain(poison.metadata.eventId);
    expect(Object.keys(result.checksums).sort()).toEqual(['a', 'c']);
    const [{ b }]: Array<{ b: number }> = await dataSource.query(
      'SELECT count(*)::int AS b FROM ledger_b',
    );
    expect(b).toBe(80); // what came before the poison event, not what came after
    const [{ a }]: Array<{ a: number }> = await dataSource.query(
      'SELECT count(*)::int AS a FROM ledger_a',
    );
    expect(a).toBe(82);
    expect((await runner.checkpointStore.get('b')).status).toBe('failed');
  });
});
