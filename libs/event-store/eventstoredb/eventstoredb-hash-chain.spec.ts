import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import {
  ANY as ESDB_ANY,
  BACKWARDS,
  END,
  NO_STREAM as ESDB_NO_STREAM,
  STREAM_EXISTS as ESDB_STREAM_EXISTS,
  StreamNotFoundError,
  WrongExpectedVersionError as EsdbWrongExpectedVersionError,
  type AppendExpectedRevision,
  type EventData,
  type JSONEventData,
} from '@eventstore/db-client';
import { randomUUID } from 'node:crypto';
import { SystemClock } from '../../clock/index.js';
import { WrongExpectedVersionError } from '../errors.js';
import { ANY, NO_STREAM, STREAM_EXISTS } from '../expected-version.js';
import { canonicalTimestamp, eventHash } from '../hash-chain.js';
import { testEvent, testStream } from '../testing/event-fixtures.js';
import { EventSchemaRegistry } from '../upcasting.js';
import { EventStoreDbEventStore } from './eventstoredb-event-store.js';

/** What the server keeps: the bytes the client sent, data and metadata as JSON text. */
interface StoredRecord {
  readonly id: string;
  readonly type: string;
  data: string;
  metadata: string;
  readonly revision: bigint;
  readonly commit: bigint;
  readonly created: Date;
}

/**
 * The part of the EventStoreDB client the adapter's append and verification use, in memory,
 * with the client's serialisation (JSON.stringify on append, JSON.parse on read) and the
 * server's expected-revision check. Every call yields to the event loop first, so concurrent
 * appends interleave between reading the head and appending, as they do over the network.
 */
class FakeEsdbClient {
  readonly streams = new Map<string, StoredRecord[]>();
  /** $all: every record in commit order, with its stream. */
  readonly log: { streamId: string; record: StoredRecord }[] = [];
  conflicts = 0;
  private commit = 0n;

  async appendToStream(
    streamId: string,
    events: EventData[],
    { expectedRevision }: { expectedRevision: AppendExpectedRevision },
  ) {
    await new Promise((r) => setImmediate(r));
    const stream = this.streams.get(streamId);
    const current = stream ? BigInt(stream.length - 1) : undefined;
    const ok =
      expectedRevision === ESDB_ANY ||
      (expectedRevision === ESDB_NO_STREAM && current === undefined) ||
      (expectedRevision === ESDB_STREAM_EXISTS && current !== undefined) ||
      expectedRevision === current;
    if (!ok) {
      this.conflicts += 1;
      throw new EsdbWrongExpectedVersionError(undefined, {
        streamName: streamId,
        expected: expectedRevision,
        current: current ?? ESDB_NO_STREAM,
      });
    }
    const records = stream ?? [];
    for (const event of events as JSONEventData[]) {
      this.commit += 1n;
      const record: StoredRecord = {
        id: event.id,
        type: event.type,
        data: JSON.stringify(event.data),
        metadata: JSON.stringify(event.metadata),
        revision: BigInt(records.length),
        commit: this.commit,
        created: new Date(),
      };
      records.push(record);
      this.log.push({ streamId, record });
    }
    this.streams.set(streamId, records);
    return {
      success: true,
      nextExpectedRevision: BigInt(records.length - 1),
      position: { commit: this.commit, prepare: this.commit },
    };
  }

  readStream(
    streamId: string,
    options: { direction?: string; fromRevision?: bigint | string; maxCount?: number } = {},
  ) {
    const stream = this.streams.get(streamId);
    return (async function* () {
      await new Promise((r) => setImmediate(r));
      if (!stream) throw new StreamNotFoundError(undefined, streamId);
      let records = options.direction === BACKWARDS ? [...stream].reverse() : [...stream];
      if (typeof options.fromRevision === 'bigint') {
        const from = options.fromRevision;
        records = records.filter((r) => r.revision >= from);
      }
      for (const record of records.slice(0, options.maxCount ?? records.length)) {
        yield { event: FakeEsdbClient.resolved(streamId, record) };
      }
    })();
  }

  /** $all with an inclusive fromPosition, as the server reads it; cancel() ends the call. */
  readAll(options: {
    direction?: string;
    fromPosition?: { commit: bigint } | string;
    maxCount?: number;
  }) {
    const backwards = options.direction === BACKWARDS;
    const from = options.fromPosition;
    let entries = backwards ? [...this.log].reverse() : [...this.log];
    if (typeof from === 'object') {
      entries = entries.filter(({ record }) =>
        backwards ? record.commit <= from.commit : record.commit >= from.commit,
      );
    } else if (from === END && !backwards) {
      entries = [];
    }
    const page = (async function* () {
      await new Promise((r) => setImmediate(r));
      for (const { streamId, record } of entries.slice(0, options.maxCount ?? entries.length)) {
        yield { event: FakeEsdbClient.resolved(streamId, record) };
      }
    })();
    return Object.assign(page, { cancel: async () => undefined });
  }

  private static resolved(streamId: string, record: StoredRecord) {
    return {
      streamId,
      id: record.id,
      revision: record.revision,
      type: record.type,
      data: JSON.parse(record.data) as unknown,
      metadata: JSON.parse(record.metadata) as unknown,
      isJson: true,
      created: record.created,
      position: { commit: record.commit, prepare: record.commit },
    };
  }

  async dispose(): Promise<void> {}
}

describe('EventStoreDB adapter: hash chain in event metadata (in-memory client)', () => {
  let fake: FakeEsdbClient;
  let store: EventStoreDbEventStore;

  beforeEach(() => {
    store = new EventStoreDbEventStore({
      connectionString: 'esdb://localhost:2113?tls=false',
      schemas: new EventSchemaRegistry(),
      clock: new SystemClock(),
    });
    fake = new FakeEsdbClient();
    (store as unknown as { client: FakeEsdbClient }).client = fake;
  });

  afterEach(() => store.close());

  function stored(streamId: string, version: number) {
    return fake.streams.get(streamId)![version];
  }

  it('links each event to its predecessor and verifies the stream as valid', async () => {
    const stream = testStream();
    expect(await store.verifyStream(stream)).toEqual({ valid: true, events: 0 });
    await store.appendToStream(
      stream,
      [testEvent('test.A', { n: 1, text: 'é "q" \\ \u001f' }), testEvent('test.B', { n: 1.5 })],
      { expectedVersion: NO_STREAM },
    );
    await store.appendToStream(stream, [testEvent('test.C')], { expectedVersion: 1 });

    const metadata = [0, 1, 2].map((v) => JSON.parse(stored(stream, v).metadata));
    expect(metadata[0].prevHash).toBeNull();
    expect(metadata[1].prevHash).toBe(metadata[0].hash);
    expect(metadata[2].prevHash).toBe(metadata[1].hash);
    expect(await store.verifyStream(stream)).toEqual({ valid: true, events: 3 });
    // The store's own keys stay out of what readers see.
    const [first] = await store.readStream(stream);
    expect(Object.keys(first.metadata)).not.toContain('hash');
    expect(Object.keys(first.metadata)).not.toContain('prevHash');
  });

  it('names the event whose stored data or metadata changed, and a rewritten link', async () => {
    const stream = testStream();
    for (let n = 0; n < 4; n += 1) {
      await store.appendToStream(stream, [testEvent('test.N', { n })], { expectedVersion: ANY });
    }
    const events = await store.readStream(stream);

    stored(stream, 2).data = stored(stream, 2).data.replace('"n":2', '"n":8');
    expect(await store.verifyStream(stream)).toEqual({
      valid: false,
      events: 4,
      firstBroken: {
        streamId: stream,
        streamVersion: 2,
        eventId: events[2].metadata.eventId,
        position: `${events[2].position.commit}-${events[2].position.prepare}`,
        reason: 'hash-mismatch',
      },
    });

    stored(stream, 1).metadata = stored(stream, 1).metadata.replace('almere', 'almerf');
    expect(await store.verifyStream(stream)).toMatchObject({
      firstBroken: { streamVersion: 1, reason: 'hash-mismatch' },
    });

    const zero = JSON.parse(stored(stream, 0).metadata);
    stored(stream, 0).metadata = JSON.stringify({ ...zero, prevHash: zero.hash });
    expect(await store.verifyStream(stream)).toMatchObject({
      firstBroken: { streamVersion: 0, reason: 'chain-broken' },
    });
  });

  it('keeps one chain while writers with any race, and refuses an exact version it lost', async () => {
    const stream = testStream();
    await store.appendToStream(stream, [testEvent('test.Seed')], { expectedVersion: NO_STREAM });
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        store.appendToStream(stream, [testEvent('test.Race', { i })], {
          expectedVersion: i % 2 ? ANY : STREAM_EXISTS,
        }),
      ),
    );
    const count = 21;
    expect(fake.streams.get(stream)).toHaveLength(count);
    expect(fake.conflicts).toBeGreaterThan(0); // the losers retried on the new head
    expect(await store.verifyStream(stream)).toEqual({ valid: true, events: count });

    const exact = await Promise.allSettled(
      Array.from({ length: 5 }, () =>
        store.appendToStream(stream, [testEvent()], { expectedVersion: count - 1 }),
      ),
    );
    expect(exact.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of exact.filter((r) => r.status === 'rejected')) {
      expect((r as PromiseRejectedResult).reason).toBeInstanceOf(WrongExpectedVersionError);
    }
    expect(await store.verifyStream(stream)).toEqual({ valid: true, events: count + 1 });
  });

  it('links the first new event to events written before the chain existed', async () => {
    const stream = testStream();
    const legacy = [testEvent('test.Old', { n: 1 }), testEvent('test.Old', { n: 2 })];
    await fake.appendToStream(
      stream,
      legacy.map((e) => ({
        id: e.metadata.eventId,
        contentType: 'application/json' as const,
        type: e.type,
        data: e.data as Record<string, unknown>,
        metadata: { ...e.metadata, schemaVersion: 1, recordedAt: new Date().toISOString() },
      })),
      { expectedRevision: ESDB_NO_STREAM },
    );

    await store.appendToStream(stream, [testEvent('test.New')], { expectedVersion: 1 });

    expect(JSON.parse(stored(stream, 2).metadata).prevHash).toMatch(/^[0-9a-f]{64}$/);
    expect(await store.verifyStream(stream)).toEqual({ valid: true, events: 3 });
    // Changing an unhashed event changes the hash the first hashed event links to.
    stored(stream, 0).data = stored(stream, 0).data.replace('"n":1', '"n":7');
    expect(await store.verifyStream(stream)).toMatchObject({
      firstBroken: { streamVersion: 2, reason: 'chain-broken' },
    });
  });

  it('gives a stream as its chain covers it, older-than-the-chain events with the hashes verifyStream computes', async () => {
    expect(await store.readStreamContent(testStream())).toEqual([]);
    const stream = testStream();
    const legacy = testEvent('test.Old', { n: 1 });
    await fake.appendToStream(
      stream,
      [
        {
          id: legacy.metadata.eventId,
          contentType: 'application/json' as const,
          type: legacy.type,
          data: legacy.data as Record<string, unknown>,
          metadata: { ...legacy.metadata, schemaVersion: 1, recordedAt: new Date().toISOString() },
        },
      ],
      { expectedRevision: ESDB_NO_STREAM },
    );
    await store.appendToStream(
      stream,
      [testEvent('test.A', { text: 'é "q" \\ \u001f 😀', nested: { b: [1, null] } }), testEvent()],
      { expectedVersion: 0 },
    );

    const content = await store.readStreamContent(stream);
    const events = await store.readStream(stream);
    expect(content.map((e) => [e.position, e.content.eventId, e.content.streamVersion])).toEqual(
      events.map((e) => [e.position, e.metadata.eventId, e.streamVersion]),
    );
    content.forEach((entry, i) => {
      expect(eventHash(entry.prevHash, entry.content)).toEqual(entry.hash);
      expect(entry.prevHash).toEqual(i === 0 ? null : content[i - 1].hash);
      // The envelope only: what the store adds to the metadata is not hashed.
      expect(JSON.parse(entry.content.metadataJson)).toEqual(events[i].metadata);
    });
    for (const entry of content.slice(1)) {
      expect(entry.hash.toString('hex')).toBe(
        JSON.parse(stored(stream, entry.content.streamVersion).metadata).hash,
      );
    }

    // A changed event reads as changed: its content no longer hashes to its hash.
    stored(stream, 1).data = stored(stream, 1).data.replace('nested', 'nestex');
    const [, changed] = await store.readStreamContent(stream);
    expect(eventHash(changed.prevHash, changed.content).equals(changed.hash)).toBe(false);
  });

  it('reads the chain as readAll orders it, recomputing the hash of events older than the chain', async () => {
    const old = testStream();
    const recordedAt = '2026-01-02T03:04:05.678Z';
    const legacy = [testEvent('test.Old', { n: 1 }), testEvent('test.Old', { n: 2 })];
    await fake.appendToStream(
      old,
      legacy.map((e) => ({
        id: e.metadata.eventId,
        contentType: 'application/json' as const,
        type: e.type,
        data: e.data as Record<string, unknown>,
        metadata: { ...e.metadata, schemaVersion: 1, recordedAt },
      })),
      { expectedRevision: ESDB_NO_STREAM },
    );
    // Not ours: a system event and another writer's event, which readAll skips too.
    await fake.appendToStream(
      '$settings',
      [
        {
          id: randomUUID(),
          contentType: 'application/json',
          type: '$settings',
          data: {},
          metadata: { eventId: randomUUID() },
        },
      ],
      { expectedRevision: ESDB_ANY },
    );
    await fake.appendToStream(
      'foreign',
      [{ id: randomUUID(), contentType: 'application/json', type: 'x', data: {}, metadata: {} }],
      { expectedRevision: ESDB_ANY },
    );
    const fresh = testStream();
    await store.appendToStream(fresh, [testEvent('test.A'), testEvent('test.B')], {
      expectedVersion: NO_STREAM,
    });
    await store.appendToStream(old, [testEvent('test.New')], { expectedVersion: 1 });

    const chain = await store.readChain({ maxCount: 100 });
    const all = await store.readAll({ maxCount: 100 });

    const identity = (e: { position: unknown; streamId: string; streamVersion: number }) => [
      e.position,
      e.streamId,
      e.streamVersion,
    ];
    expect(chain.map(identity)).toEqual(all.map(identity));
    expect(chain.map((e) => e.eventId)).toEqual(all.map((e) => e.metadata.eventId));
    expect(chain.map((e) => [e.streamId, e.streamVersion])).toEqual([
      [old, 0],
      [old, 1],
      [fresh, 0],
      [fresh, 1],
      [old, 2],
    ]);
    // Hashed events: the stored hash. Older ones: the chain verifyStream recomputes, which the
    // first hashed event links to.
    const stored = (e: { streamId: string; streamVersion: number }) =>
      JSON.parse(fake.streams.get(e.streamId)![e.streamVersion].metadata) as {
        hash?: string;
        prevHash?: string;
      };
    for (const entry of chain.slice(2)) {
      expect(entry.hash.toString('hex')).toBe(stored(entry).hash);
    }
    const content = (n: number) => ({
      eventId: legacy[n].metadata.eventId,
      streamId: old,
      streamVersion: n,
      type: 'test.Old',
      schemaVersion: 1,
      dataJson: JSON.stringify(legacy[n].data),
      metadataJson: JSON.stringify(legacy[n].metadata),
      recordedAt: canonicalTimestamp(recordedAt),
    });
    const first = eventHash(null, content(0));
    expect(chain[0].hash).toEqual(first);
    expect(chain[1].hash).toEqual(eventHash(first, content(1)));
    expect(chain[1].hash.toString('hex')).toBe(stored(chain[4]).prevHash);
    expect(await store.verifyStream(old)).toEqual({ valid: true, events: 3 });

    const paged = [];
    for (let after = undefined as (typeof chain)[number]['position'] | undefined; ;) {
      const page = await store.readChain({ after, maxCount: 2 });
      expect(page.length).toBeLessThanOrEqual(2);
      if (page.length === 0) break;
      paged.push(...page);
      after = page[page.length - 1].position;
    }
    expect(paged).toEqual(chain);
    expect(await store.readChain({ after: chain[4].position, maxCount: 10 })).toEqual([]);
  });
});
