import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { createTestDatabase } from '../../test/support/test-database.js';
import { SystemClock } from '../clock/index.js';
import { openDataSource } from '../database/data-source.js';
import { ANY } from '../event-store/expected-version.js';
import { PostgresEventStore } from '../event-store/postgres/postgres-event-store.js';
import { testEvent, testStream } from '../event-store/testing/event-fixtures.js';
import { EventSchemaRegistry } from '../event-store/upcasting.js';
import { rootOf } from '../merkle/merkle-tree.js';
import { eventLeaf, MerkleLog } from './merkle-log.js';
import { logReaches } from '../../test/support/sealed-store.js';

describe('the Merkle log follows the event store', () => {
  let dataSource: DataSource;
  let store: PostgresEventStore;
  const log = () => new MerkleLog(dataSource, store, { batchSize: 7, pollMs: 20 });

  beforeAll(async () => {
    const url = await createTestDatabase('merkle_log');
    dataSource = await openDataSource(url, []);
    const schemas = new EventSchemaRegistry();
    schemas.register('test.Happened', 1);
    store = new PostgresEventStore({ connectionString: url, schemas, clock: new SystemClock() });
  });
  afterAll(async () => {
    await store?.close();
    await dataSource?.destroy();
  });

  async function appendSome(streams: number, each: number) {
    for (let s = 0; s < streams; s += 1) {
      const stream = testStream('merkle');
      for (let e = 0; e < each; e += 1) {
        await store.appendToStream(stream, [testEvent('test.Happened', { s, e })], {
          expectedVersion: ANY,
        });
      }
    }
  }

  /** The root of a tree over every stored event, computed from scratch. */
  async function expectedRoot() {
    const chain = await store.readChain({ maxCount: 1_000_000 });
    return { size: chain.length, root: rootOf(chain.map(eventLeaf)) };
  }

  it('appends every event once, in global order, with the root a tree over all of them has', async () => {
    const empty = log();
    expect(await empty.head()).toMatchObject({ size: 0 });
    await appendSome(3, 5);
    await logReaches(empty, 15);
    expect(await empty.catchUp()).toBe(0);
    const head = await empty.head();
    const expected = await expectedRoot();
    expect({ size: head.size, root: head.root.toString('hex') }).toEqual({
      size: expected.size,
      root: expected.root.toString('hex'),
    });
    const leaves: Array<{ event_id: string }> = await dataSource.query(
      'SELECT event_id::text FROM merkle_leaves ORDER BY merkle_leaves.leaf',
    );
    const chain = await store.readChain({ maxCount: 1_000 });
    expect(leaves.map((l) => l.event_id)).toEqual(chain.map((c) => c.eventId));
  });

  it('goes on where it stopped after a restart, and two instances never append an event twice', async () => {
    await appendSome(4, 6);
    // Two followers at once, from one state: each batch is appended by one of them.
    const [a, b] = [log(), log()];
    let appended = 0;
    // Rounds of both at once, until the 24 new events are readable and in the tree.
    while ((await a.head()).size < 39) {
      const [byA, byB] = await Promise.all([a.catchUp(), b.catchUp()]);
      appended += byA + byB;
      if (byA + byB === 0) await new Promise((r) => setTimeout(r, 20));
    }
    expect(appended).toBe(24);
    const head = await log().head();
    const expected = await expectedRoot();
    expect({ size: head.size, root: head.root.toString('hex') }).toEqual({
      size: expected.size,
      root: expected.root.toString('hex'),
    });
    const [{ duplicates }] = await dataSource.query(
      'SELECT count(*) - count(DISTINCT event_id) AS duplicates FROM merkle_leaves',
    );
    expect(Number(duplicates)).toBe(0);
  });

  it('follows by itself, woken by appends', async () => {
    const follower = log();
    follower.start();
    try {
      await appendSome(1, 3);
      const deadline = Date.now() + 5_000;
      const { size } = await expectedRoot();
      while ((await follower.head()).size < size) {
        if (Date.now() > deadline) throw new Error('the follower did not catch up');
        await new Promise((r) => setTimeout(r, 20));
      }
      expect((await follower.head()).root).toEqual((await expectedRoot()).root);
    } finally {
      await follower.stop();
    }
  });
});
