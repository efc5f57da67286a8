import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { SystemClock } from '#libs/clock/index.js';
import { openDataSource } from '#libs/database/data-source.js';
import { NO_STREAM } from '#libs/event-store/expected-version.js';
import { PostgresEventStore } from '#libs/event-store/postgres/postgres-event-store.js';
import { EventSchemaRegistry } from '#libs/event-store/upcasting.js';
import { MeteredEventStore } from '#libs/observability/metered-event-store.js';
import { Metrics } from '#libs/observability/metrics.js';
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

/**
 * The product as src/core/infrastructure.ts builds it (the metered Postgres adapter), on a
 * database brought up to date by the product's own migrations.
 */
export async function productSubject(
  url: string,
  streams: WriterStreams,
  poolSize: number,
): Promise<AppendSubject> {
  const dataSource = await openDataSource(url, [], { poolSize: 2 });
  await dataSource.destroy();
  const schemas = new EventSchemaRegistry().register(EVENT_TYPE, 1);
  const store = new MeteredEventStore(
    new PostgresEventStore({ connectionString: url, poolSize, schemas, clock: new SystemClock() }),
    new Metrics(),
  );
  const versions = streams.writers.map(() => -1);
  return {
    name: 'egep append',
    async append(writer) {
      const { eventId: _id, type, data, metadata } = streams.event(writer);
      const expected = versions[writer];
      const result = await store.appendToStream(
        streams.writers[writer].streamId,
        [{ type, data, metadata }],
        { expectedVersion: expected < 0 ? NO_STREAM : expected },
      );
      versions[writer] = result.nextExpectedVersion;
    },
    close: () => store.close(),
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
