import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { DataSource, type MigrationInterface } from 'typeorm';
import { connect, createTestDatabase } from '../../../test/support/test-database.js';
import { SystemClock } from '../../clock/index.js';
import { openDataSource } from '../../database/data-source.js';
import { EventStore1732000000000 } from '../../database/migrations/1732000000000-event-store.migration.js';
import { EventHashes1732000000003 } from '../../database/migrations/1732000000003-event-hashes.migration.js';
import { ANY, NO_STREAM } from '../expected-version.js';
import { canonicalTimestamp, eventHash } from '../hash-chain.js';
import { formatPosition } from '../position.js';
import { withEventHashes } from '../testing/event-hashes-migration.js';
import { testEvent, testStream } from '../testing/event-fixtures.js';
import { EventSchemaRegistry } from '../upcasting.js';
import { PostgresEventStore } from './postgres-event-store.js';

interface StoredRow {
  event_id: string;
  stream_id: string;
  version_text: string;
  type: string;
  schema_version: number;
  data_text: string;
  metadata_text: string;
  recorded_at: Date;
  prev_hash: Buffer | null;
  hash: Buffer;
}

async function storedRows(client: pg.Client, streamId: string): Promise<StoredRow[]> {
  const { rows } = await client.query<StoredRow>(
    `SELECT event_id::text AS event_id, stream_id, stream_version::text AS version_text, type,
            schema_version, data::text AS data_text, metadata::text AS metadata_text, recorded_at,
            prev_hash, hash
       FROM events WHERE stream_id = $1 ORDER BY stream_version`,
    [streamId],
  );
  return rows;
}

/**
 * Recomputes the chain in TypeScript (node:crypto, libs/event-store/hash-chain.ts) from the
 * stored columns as text, and expects exactly the hashes Postgres stored: the documented
 * canonical text is the one the SQL builds, byte for byte.
 */
async function expectHashesMatchTypeScript(client: pg.Client, streamId: string): Promise<number> {
  const rows = await storedRows(client, streamId);
  let prev: Buffer | null = null;
  for (const row of rows) {
    expect(row.prev_hash).toEqual(prev);
    const recomputed = eventHash(prev, {
      eventId: row.event_id,
      streamId: row.stream_id,
      streamVersion: Number(row.version_text),
      type: row.type,
      schemaVersion: row.schema_version,
      dataJson: row.data_text,
      metadataJson: row.metadata_text,
      recordedAt: canonicalTimestamp(row.recorded_at),
    });
    expect(recomputed.toString('hex')).toBe(row.hash.toString('hex'));
    prev = recomputed;
  }
  const { rows: streams } = await client.query<{ last_hash: Buffer | null }>(
    'SELECT last_hash FROM event_streams WHERE stream_id = $1',
    [streamId],
  );
  expect(streams[0]?.last_hash ?? null).toEqual(prev);
  return rows.length;
}

const schemas = new EventSchemaRegistry();
const clock = new SystemClock();

describe('tamper evidence (Postgres)', () => {
  let url: string;
  let store: PostgresEventStore;
  let client: pg.Client;

  beforeAll(async () => {
    url = await createTestDatabase('tamper');
    const ds = await openDataSource(url, withEventHashes());
    await ds.destroy();
    store = new PostgresEventStore({ connectionString: url, schemas, clock });
    client = await connect(url);
  });

  afterAll(async () => {
    await client?.end();
    await store?.close();
  });

  /** A stream of `count` events (one append of three, then single appends); returns them read back. */
  async function streamOf(count: number, prefix = 'tamper') {
    const stream = testStream(prefix);
    await store.appendToStream(
      stream,
      [0, 1, 2].map((n) => testEvent('test.N', { n })),
      { expectedVersion: NO_STREAM },
    );
    for (let n = 3; n < count; n += 1) {
      await store.appendToStream(stream, [testEvent('test.N', { n })], { expectedVersion: n - 1 });
    }
    return { stream, events: await store.readStream(stream) };
  }

  it('reports valid, then names exactly the event one byte of whose data was changed', async () => {
    const a = await streamOf(5);
    const b = await streamOf(3);
    expect(await store.verifyStream(a.stream)).toEqual({ valid: true, events: 5 });
    expect(await store.verifyStream(b.stream)).toEqual({ valid: true, events: 3 });

    const target = a.events[2];
    const textOf = async () =>
      (
        await client.query<{ t: string }>(
          'SELECT data::text AS t FROM events WHERE event_id = $1',
          [target.metadata.eventId],
        )
      ).rows[0].t;
    const before = Buffer.from(await textOf());
    await client.query(`UPDATE events SET data = jsonb_set(data, '{n}', '8') WHERE event_id = $1`, [
      target.metadata.eventId,
    ]);
    const after = Buffer.from(await textOf());
    expect(after.length).toBe(before.length);
    expect([...before].filter((byte, i) => byte !== after[i])).toHaveLength(1);

    expect(await store.verifyStream(a.stream)).toEqual({
      valid: false,
      events: 5,
      firstBroken: {
        streamId: a.stream,
        streamVersion: 2,
        eventId: target.metadata.eventId,
        position: formatPosition(target.position),
        reason: 'hash-mismatch',
      },
    });
    expect(await store.verifyStream(b.stream)).toEqual({ valid: true, events: 3 });
  });

  it.each([
    ['metadata', `SET metadata = jsonb_set(metadata, '{municipality}', '"almerf"')`],
    ['type', `SET type = 'test.M'`],
    ['schema_version', 'SET schema_version = 2'],
    ['recorded_at', `SET recorded_at = recorded_at + interval '1 microsecond'`],
    ['event_id', 'SET event_id = gen_random_uuid()'],
  ])('names the event whose %s was changed', async (_column, set) => {
    const { stream, events } = await streamOf(4);
    expect(await store.verifyStream(stream)).toEqual({ valid: true, events: 4 });

    const { rows } = await client.query<{ id: string }>(
      `UPDATE events ${set} WHERE event_id = $1 RETURNING event_id::text AS id`,
      [events[1].metadata.eventId],
    );

    expect(await store.verifyStream(stream)).toEqual({
      valid: false,
      events: 4,
      firstBroken: {
        streamId: stream,
        streamVersion: 1,
        eventId: rows[0].id,
        position: formatPosition(events[1].position),
        reason: 'hash-mismatch',
      },
    });
  });

  it.each([
    ['one byte of a prev_hash flipped', 3, `set_byte(prev_hash, 0, get_byte(prev_hash, 0) # 1)`],
    ['a prev_hash given to the first event', 0, `'\\x00'::bytea`],
    ['the prev_hash removed', 2, 'NULL'],
  ])('names a chain-broken link: %s', async (_case, version, value) => {
    const { stream, events } = await streamOf(5);
    expect(await store.verifyStream(stream)).toEqual({ valid: true, events: 5 });

    await client.query(`UPDATE events SET prev_hash = ${value} WHERE event_id = $1`, [
      events[version].metadata.eventId,
    ]);

    expect(await store.verifyStream(stream)).toEqual({
      valid: false,
      events: 5,
      firstBroken: {
        streamId: stream,
        streamVersion: version,
        eventId: events[version].metadata.eventId,
        position: formatPosition(events[version].position),
        reason: 'chain-broken',
      },
    });
  });

  it('names the event after a deleted one as chain-broken', async () => {
    const { stream, events } = await streamOf(5);
    await client.query('DELETE FROM events WHERE event_id = $1', [events[2].metadata.eventId]);

    expect(await store.verifyStream(stream)).toMatchObject({
      valid: false,
      events: 4,
      firstBroken: {
        streamVersion: 3,
        eventId: events[3].metadata.eventId,
        reason: 'chain-broken',
      },
    });
  });

  it('still finds an event rewritten together with its own hash, at the link after it', async () => {
    const { stream, events } = await streamOf(5);
    await client.query(
      `UPDATE events SET data = '{"n": 8}',
              hash = event_hash(prev_hash, event_id, stream_id, stream_version, type,
                                schema_version, '{"n": 8}'::jsonb, metadata, recorded_at)
        WHERE event_id = $1`,
      [events[2].metadata.eventId],
    );

    expect(await store.verifyStream(stream)).toMatchObject({
      valid: false,
      firstBroken: {
        streamVersion: 3,
        eventId: events[3].metadata.eventId,
        reason: 'chain-broken',
      },
    });
  });

  it('stores the hashes the documented canonical text gives, also for awkward text', async () => {
    // Separator, quotes, backslash, non-ASCII and emoji in the free-text fields.
    const stream = `test-\u001f"q"\\é😀-${randomUUID()}`;
    await store.appendToStream(
      stream,
      [
        testEvent('test.Ünï\u0007code', {
          b: 1.5,
          a: [1, 'x\u001fy', null, true, { z: 'ключ', y: 1e21 }],
          emoji: '😀',
        }),
        testEvent('test.N', {}),
      ],
      { expectedVersion: NO_STREAM },
    );
    await store.appendToStream(stream, [testEvent('test.N', { n: -0.25 })], {
      expectedVersion: ANY,
    });

    expect(await expectHashesMatchTypeScript(client, stream)).toBe(3);
    expect(await store.verifyStream(stream)).toEqual({ valid: true, events: 3 });
  });
});

describe('event hashes migration (backfill of events stored before it)', () => {
  let url: string;
  let store: PostgresEventStore;
  let client: pg.Client;
  const dataSources: DataSource[] = [];

  beforeAll(async () => {
    url = await createTestDatabase('hash_backfill');
    client = await connect(url);
  });

  afterAll(async () => {
    await client?.end();
    await store?.close();
    for (const ds of dataSources) if (ds.isInitialized) await ds.destroy();
  });

  async function migrated(migrations: Array<new () => MigrationInterface>): Promise<DataSource> {
    const ds = new DataSource({ type: 'postgres', url, migrations });
    dataSources.push(ds);
    await ds.initialize();
    return ds;
  }

  it('hashes the existing events into valid chains, which new appends extend', async () => {
    // The store as deployed before: only the first event-store migration.
    const before = await migrated([EventStore1732000000000]);
    await before.runMigrations({ transaction: 'each' });
    store = new PostgresEventStore({ connectionString: url, schemas, clock });
    const x = testStream('old');
    const y = testStream('old');
    const z = testStream('old');
    await store.appendToStream(
      x,
      [1, 2, 3].map((n) => testEvent('test.N', { n })),
      { expectedVersion: NO_STREAM },
    );
    await store.appendToStream(x, [testEvent('test.N', { n: 4 })], { expectedVersion: 2 });
    await store.appendToStream(y, [testEvent('test.Y', { text: 'é "q"' })], {
      expectedVersion: NO_STREAM,
    });
    for (let n = 0; n < 12; n += 1) {
      await store.appendToStream(z, [testEvent('test.Z', { n })], { expectedVersion: ANY });
    }
    const columns = await client.query(
      `SELECT column_name FROM information_schema.columns
        WHERE table_name = 'events' AND column_name IN ('hash', 'prev_hash')`,
    );
    expect(columns.rowCount).toBe(0);

    // Deploying the new migration list runs only the hash migration, over those events.
    const after = await migrated([EventStore1732000000000, EventHashes1732000000003]);
    const ran = await after.runMigrations({ transaction: 'each' });
    expect(ran.map((m) => m.name)).toEqual(['EventHashes1732000000003']);

    expect(await store.verifyStream(x)).toEqual({ valid: true, events: 4 });
    expect(await store.verifyStream(y)).toEqual({ valid: true, events: 1 });
    expect(await store.verifyStream(z)).toEqual({ valid: true, events: 12 });
    // The backfill computed what append_events computes, and what hash-chain.ts documents.
    for (const stream of [x, y, z]) await expectHashesMatchTypeScript(client, stream);
    const nullable = await client.query<{ is_nullable: string }>(
      `SELECT is_nullable FROM information_schema.columns
        WHERE table_name = 'events' AND column_name = 'hash'`,
    );
    expect(nullable.rows[0].is_nullable).toBe('NO');

    // An append after the migration links to the backfilled chain.
    const [lastOld] = await storedRows(client, x).then((rows) => rows.slice(-1));
    await store.appendToStream(x, [testEvent('test.N', { n: 5 })], { expectedVersion: 3 });
    const [firstNew] = await storedRows(client, x).then((rows) => rows.slice(-1));
    expect(firstNew.prev_hash).toEqual(lastOld.hash);
    expect(await store.verifyStream(x)).toEqual({ valid: true, events: 5 });

    // A backfilled event is as tamper-evident as a new one.
    const zEvents = await store.readStream(z);
    await client.query(`UPDATE events SET data = jsonb_set(data, '{n}', '9') WHERE event_id = $1`, [
      zEvents[5].metadata.eventId,
    ]);
    expect(await store.verifyStream(z)).toMatchObject({
      valid: false,
      events: 12,
      firstBroken: {
        streamVersion: 5,
        eventId: zEvents[5].metadata.eventId,
        reason: 'hash-mismatch',
      },
    });

    // Down restores the first append_events; up again re-chains everything, old and new.
    await after.undoLastMigration({ transaction: 'each' });
    const gone = await client.query<{ fn: string | null }>(
      `SELECT to_regprocedure('event_hash(bytea, uuid, text, bigint, text, integer, jsonb, jsonb, timestamptz)')::text AS fn`,
    );
    expect(gone.rows[0].fn).toBeNull();
    await store.appendToStream(x, [testEvent('test.N', { n: 6 })], { expectedVersion: 4 });
    await after.runMigrations({ transaction: 'each' });
    expect(await store.verifyStream(x)).toEqual({ valid: true, events: 6 });
    await expectHashesMatchTypeScript(client, x);
  });
});
