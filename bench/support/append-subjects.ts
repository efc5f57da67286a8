import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { SystemClock } from '#libs/clock/index.js';
import { openDataSource } from '#libs/database/data-source.js';
import { NO_STREAM } from '#libs/event-store/expected-version.js';
import { PostgresEventStore } from '#libs/event-store/postgres/postgres-event-store.js';
import { EventSchemaRegistry } from '#libs/event-store/upcasting.js';
import type { EventStore } from '#libs/event-store/event-store.port.js';
import { MeteredEventStore } from '#libs/observability/metered-event-store.js';
import { Metrics } from '#libs/observability/metrics.js';
import { MerkleLog } from '#libs/tamper-evidence/merkle-log.js';
import { elapsedMs } from './stats.js';
import {
  EVENT_TYPE,
  progressNoteEvent,
  sealedNoteText,
  type BenchEvent,
} from './append-payload.js';

/** One thing B1 appends to: each writer owns one stream and appends one event at a time. */
export interface AppendSubject {
  readonly name: string;
  /** Appends the writer's next event with the stream's current version as expected version. */
  append(writer: number): Promise<void>;
  close(): Promise<void>;
}

/** One stream per writer, with what its events carry. */
export class WriterStreams {
  readonly writers: Array<{ familyId: string; planId: string; sealed: string; streamId: string }>;

  constructor(count: number) {
    this.writers = Array.from({ length: count }, () => {
      const familyId = randomUUID();
      return {
        familyId,
        planId: randomUUID(),
        sealed: sealedNoteText(familyId),
        streamId: `gezinsplan-${familyId}`,
      };
    });
  }

  event(writer: number): BenchEvent {
    const w = this.writers[writer];
    return progressNoteEvent(w.familyId, w.planId, w.sealed);
  }
}

/** The product's store as src/core/infrastructure.ts builds it (the metered Postgres adapter). */
async function productStore(url: string, poolSize: number): Promise<MeteredEventStore> {
  const dataSource = await openDataSource(url, [], { poolSize: 2 });
  await dataSource.destroy();
  const schemas = new EventSchemaRegistry().register(EVENT_TYPE, 1);
  return new MeteredEventStore(
    new PostgresEventStore({ connectionString: url, poolSize, schemas, clock: new SystemClock() }),
    new Metrics(),
  );
}

/** Each writer's next event on its stream, with the stream's current version as expected. */
function productAppend(store: EventStore, streams: WriterStreams) {
  const versions = streams.writers.map(() => -1);
  return async (writer: number) => {
    const { eventId: _id, type, data, metadata } = streams.event(writer);
    const expected = versions[writer];
    const result = await store.appendToStream(
      streams.writers[writer].streamId,
      [{ type, data, metadata }],
      { expectedVersion: expected < 0 ? NO_STREAM : expected },
    );
    versions[writer] = result.nextExpectedVersion;
  };
}

/**
 * The product as src/core/infrastructure.ts builds it (the metered Postgres adapter), on a
 * database brought up to date by the product's own migrations.
 */
export async function productSubject(
  url: string,
  streams: WriterStreams,
  poolSize: number,
): Promise<AppendSubject> {
  const store = await productStore(url, poolSize);
  return { name: 'egep append', append: productAppend(store, streams), close: () => store.close() };
}

/** The Merkle log's batch size in a server (PROJECTION_BATCH_SIZE's default). */
export const MERKLE_BATCH_SIZE = 500;

export interface MerkleFollowedSubject extends AppendSubject {
  /** Starts the follower (before a phase), as a server runs it. */
  enter(): void;
  /** Stops it and lets it finish (after a phase): the writers' time is taken before this. */
  leave(): Promise<void>;
  /** Per phase: events the tree was behind the store when the writers finished. */
  readonly lagAtEnd: number[];
  /** Per phase: ms from the writers' end until the tree held every event. */
  readonly catchUpMs: number[];
}

/**
 * The product's append path on its own database with the Merkle log following it on the same
 * store (its appends wake the follower, as in a server; pollMs and batch size as in a server):
 * the follower runs while the writers do, and is stopped after each phase, once it has appended
 * every event (so its backlog never falls into another subject's phase).
 */
export async function productWithMerkleLogSubject(
  url: string,
  streams: WriterStreams,
  poolSize: number,
): Promise<MerkleFollowedSubject> {
  const store = await productStore(url, poolSize);
  const dataSource = await openDataSource(url, [], { poolSize: 4 });
  const log = new MerkleLog(dataSource, store, { batchSize: MERKLE_BATCH_SIZE, pollMs: 250 });
  let appended = 0;
  const append = productAppend(store, streams);
  const lagAtEnd: number[] = [];
  const catchUpMs: number[] = [];
  return {
    name: 'egep append + Merkle log',
    lagAtEnd,
    catchUpMs,
    async append(writer) {
      await append(writer);
      appended += 1;
    },
    enter: () => log.start(),
    async leave() {
      const ended = process.hrtime.bigint();
      lagAtEnd.push(appended - (await log.head()).size);
      await log.stop();
      await log.catchUp();
      catchUpMs.push(elapsedMs(ended));
      const { size } = await log.head();
      if (size !== appended) throw new Error(`Merkle log holds ${size} of ${appended} events`);
    },
    async close() {
      await log.stop();
      await store.close();
      await dataSource.destroy();
    },
  };
}

/** The product's events table (after the hash-chain migration): same columns, keys, index. */
const RAW_TABLE = `
CREATE TABLE events (
  transaction_id xid8        NOT NULL DEFAULT pg_current_xact_id(),
  seq            bigint      GENERATED ALWAYS AS IDENTITY,
  event_id       uuid        NOT NULL,
  stream_id      text        NOT NULL,
  stream_version bigint      NOT NULL,
  type           text        NOT NULL,
  schema_version integer     NOT NULL,
  data           jsonb       NOT NULL,
  metadata       jsonb       NOT NULL,
  recorded_at    timestamptz NOT NULL,
  prev_hash      bytea,
  hash           bytea       NOT NULL,
  PRIMARY KEY (transaction_id, seq),
  UNIQUE (event_id),
  UNIQUE (stream_id, stream_version)
);
CREATE INDEX events_recorded_at ON events (recorded_at);`;

const RAW_INSERT = `INSERT INTO events (event_id, stream_id, stream_version, type, schema_version,
  data, metadata, recorded_at, prev_hash, hash) VALUES ($1, $2, $3, $4, 1, $5, $6, $7, $8, $9)`;

/**
 * The limit: one autocommit INSERT per event into a table of the same width, with no function,
 * no stream row, no hash computed (the 32-byte hash columns are filled with fixed bytes so the
 * row is as wide) and no concurrency check; the version is counted by the writer.
 */
export async function rawInsertSubject(
  url: string,
  streams: WriterStreams,
  poolSize: number,
): Promise<AppendSubject> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, application_name: 'raw' });
  pool.on('error', () => undefined);
  await pool.query(RAW_TABLE);
  const hash = randomBytes(32);
  const versions = streams.writers.map(() => -1);
  return {
    name: 'raw INSERT',
    async append(writer) {
      const { eventId, type, data, metadata } = streams.event(writer);
      const version = versions[writer] + 1;
      await pool.query(RAW_INSERT, [
        eventId,
        streams.writers[writer].streamId,
        version,
        type,
        JSON.stringify(data),
        JSON.stringify(metadata),
        new Date(),
        version === 0 ? null : hash,
        hash,
      ]);
      versions[writer] = version;
    },
    close: () => pool.end(),
  };
}
