import pg from 'pg';
import type { Clock } from '../../clock/index.js';
import {
  BoundedPgClient,
  boundedConnectionConfig,
  boundedPoolConfig,
  type DatabaseTimeouts,
} from '../../database/bounded-connection.js';
import type { EventMetadata, NewEvent, RecordedEvent } from '../event-envelope.js';
import type {
  AppendResult,
  ChainEntry,
  EventStore,
  HashedEvent,
  ReadAllOptions,
  ReadStreamOptions,
  StreamVerification,
  SubscribeOptions,
  Subscription,
} from '../event-store.port.js';
import { WrongExpectedVersionError } from '../errors.js';
import type { ExpectedVersion } from '../expected-version.js';
import { pollingSubscription } from '../polling-subscription.js';
import { formatPosition, type Position } from '../position.js';
import type { EventSchemaRegistry } from '../upcasting.js';

const NOTIFY_CHANNEL = 'events_appended';
const WRONG_EXPECTED_VERSION = 'EV409';

// The text aliases must not reuse column names: ORDER BY prefers an output column of the same
// name, and would then sort 100 before 99.
const SELECT_COLUMNS = `transaction_id::text AS tx_text, seq::text AS seq_text, stream_id,
  stream_version::text AS stream_version_text, type, schema_version, data, metadata, recorded_at`;

interface EventRow {
  tx_text: string;
  seq_text: string;
  stream_id: string;
  stream_version_text: string;
  type: string;
  schema_version: number;
  data: unknown;
  metadata: EventMetadata;
  recorded_at: Date;
}

interface ChainRow {
  tx_text: string;
  seq_text: string;
  event_id_text: string;
  stream_id: string;
  stream_version_text: string;
  hash: Buffer;
}

/**
 * What readAll and readChain read: everything after `after` (exclusive), in global order, up to
 * the oldest transaction still running. A transaction id below the snapshot's xmin has ended, so
 * no event can still commit before the last one returned. $1 is the count; the rest is the
 * WHERE clause and its parameters.
 */
function globalOrderWhere({ after, maxCount }: ReadAllOptions): {
  where: string;
  params: unknown[];
} {
  const params: unknown[] = [maxCount];
  let where = 'transaction_id < pg_snapshot_xmin(pg_current_snapshot())';
  if (after && after.commit >= 0n) {
    params.push(after.commit.toString(), after.prepare.toString());
    where += ' AND (transaction_id, seq) > ($2::xid8, $3::bigint)';
  }
  return { where, params };
}

interface ContentRow {
  tx_text: string;
  seq_text: string;
  event_id_text: string;
  stream_id: string;
  stream_version_text: string;
  type: string;
  schema_version: number;
  data_text: string;
  metadata_text: string;
  recorded_at_text: string;
  prev_hash: Buffer | null;
  hash: Buffer;
}

/**
 * A stream's events as event_hash reads them: the stored columns as the text it hashes (jsonb's
 * own data::text and metadata::text, the timestamp in the same to_char form), with the stored
 * links. Keep in step with event_hash (event-hashes.schema.ts).
 */
const READ_STREAM_CONTENT = `
SELECT transaction_id::text AS tx_text, seq::text AS seq_text, event_id::text AS event_id_text,
       stream_id, stream_version::text AS stream_version_text, type, schema_version,
       data::text AS data_text, metadata::text AS metadata_text,
       to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS recorded_at_text,
       prev_hash, hash
  FROM events WHERE stream_id = $1
 ORDER BY stream_version`;

interface VerificationRow {
  total: number;
  version_text: string;
  event_id_text: string;
  tx_text: string;
  seq_text: string;
  reason: 'hash-mismatch' | 'chain-broken' | null;
}

/**
 * One pass over the stream in version order. An event is chain-broken when its prev_hash is not
 * the stored hash of the event before it, else hash-mismatch when event_hash (the function that
 * append_events hashes with, so the canonical text is byte-identical by construction) over its
 * stored columns and prev_hash differs from its hash. Up to the first broken link every stored
 * hash equals the recomputed one, so this names the same first event as recomputing the whole
 * chain from version 0 would. The broken row sorts first; count(*) OVER () is the stream length.
 */
const VERIFY_STREAM = `
SELECT count(*) OVER ()::int AS total, stream_version::text AS version_text,
       event_id::text AS event_id_text, transaction_id::text AS tx_text, seq::text AS seq_text,
       reason
  FROM (SELECT transaction_id, seq, event_id, stream_version,
               CASE
                 WHEN prev_hash IS DISTINCT FROM lag(hash) OVER (ORDER BY stream_version)
                   THEN 'chain-broken'
                 WHEN hash IS DISTINCT FROM event_hash(prev_hash, event_id, stream_id,
                        stream_version, type, schema_version, data, metadata, recorded_at)
                   THEN 'hash-mismatch'
               END AS reason
          FROM events WHERE stream_id = $1) AS checked
 ORDER BY reason IS NULL, stream_version
 LIMIT 1`;

interface AppendRow {
  next_version: string;
  tx: string;
  last_seq: string;
}

/** The append statement; exported so tests can run it inside a transaction they hold open. */
export function buildAppendQuery(
  streamId: string,
  events: readonly NewEvent[],
  expectedVersion: ExpectedVersion,
  schemas: EventSchemaRegistry,
  recordedAt: Date,
): pg.QueryConfig {
  const [mode, expected] =
    typeof expectedVersion === 'number' ? ['exact', expectedVersion] : [expectedVersion, null];
  return {
    text: `SELECT next_version::text, tx::text, last_seq::text
             FROM append_events($1, $2, $3, $4::uuid[], $5::text[], $6::int[], $7::jsonb[], $8::jsonb[], $9)`,
    values: [
      streamId,
      mode,
      expected,
      events.map((e) => e.metadata.eventId),
      events.map((e) => e.type),
      events.map((e) => schemas.currentVersion(e.type)),
      events.map((e) => JSON.stringify(e.data)),
      events.map((e) => JSON.stringify(e.metadata)),
      recordedAt,
    ],
  };
}

export interface PostgresEventStoreOptions {
  readonly connectionString: string;
  readonly poolSize?: number;
  readonly schemas: EventSchemaRegistry;
  readonly clock: Clock;
  /** Fallback poll interval for subscriptions, in milliseconds. */
  readonly pollIntervalMs?: number;
  /** Names the store's sessions in pg_stat_activity (see instance-presence.ts). */
  readonly applicationName?: string;
  readonly timeouts?: DatabaseTimeouts;
}

export class PostgresEventStore implements EventStore {
  readonly kind = 'postgres' as const;
  private readonly pool: pg.Pool;
  private readonly listeners = new Set<() => void>();
  private listenClient?: pg.Client;
  private listening?: Promise<void>;
  private closed = false;
  private waking?: Promise<void>;
  private wakeAgain = false;

  constructor(private readonly options: PostgresEventStoreOptions) {
    // Bounded (see bounded-connection.ts), so an append during an outage or on a stalled
    // connection fails (503) instead of hanging.
    this.pool = new pg.Pool({
      connectionString: options.connectionString,
      ...boundedPoolConfig(
        options.applicationName ?? 'event-store',
        options.poolSize ?? 10,
        options.timeouts,
      ),
    });
    // An idle client losing its server (a Postgres restart) must not crash the process.
    this.pool.on('error', () => undefined);
  }

  async appendToStream(
    streamId: string,
    events: readonly NewEvent[],
    { expectedVersion }: { expectedVersion: ExpectedVersion },
  ): Promise<AppendResult> {
    if (events.length === 0) throw new RangeError('appendToStream needs at least one event');
    try {
      const { rows } = await this.pool.query<AppendRow>(
        buildAppendQuery(
          streamId,
          events,
          expectedVersion,
          this.options.schemas,
          this.options.clock.now(),
        ),
      );
      const row = rows[0];
      this.notifyLocal();
      this.wakeOtherProcesses();
      return {
        nextExpectedVersion: Number(row.next_version),
        position: { commit: BigInt(row.tx), prepare: BigInt(row.last_seq) },
      };
    } catch (error) {
      if ((error as { code?: string }).code === WRONG_EXPECTED_VERSION) {
        const detail = (error as { detail?: string }).detail;
        throw new WrongExpectedVersionError(
          streamId,
          expectedVersion,
          detail ? Number(detail) : undefined,
        );
      }
      throw error;
    }
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const params: unknown[] = [streamId, options.fromVersion ?? 0];
    let where = 'stream_id = $1 AND stream_version >= $2';
    if (options.toPosition) {
      params.push(options.toPosition.commit.toString(), options.toPosition.prepare.toString());
      where += ` AND (transaction_id, seq) <= ($${params.length - 1}::xid8, $${params.length}::bigint)`;
    }
    if (options.toTime) {
      params.push(options.toTime);
      where += ` AND recorded_at <= $${params.length}`;
    }
    let limit = '';
    if (options.maxCount !== undefined) {
      params.push(options.maxCount);
      limit = `LIMIT $${params.length}`;
    }
    const { rows } = await this.pool.query<EventRow>(
      `SELECT ${SELECT_COLUMNS} FROM events WHERE ${where} ORDER BY stream_version ${limit}`,
      params,
    );
    return rows.map((row) => this.toRecorded(row));
  }

  async readAll(options: ReadAllOptions): Promise<RecordedEvent[]> {
    const { where, params } = globalOrderWhere(options);
    const { rows } = await this.pool.query<EventRow>(
      `SELECT ${SELECT_COLUMNS} FROM events WHERE ${where} ORDER BY transaction_id, seq LIMIT $1`,
      params,
    );
    return rows.map((row) => this.toRecorded(row));
  }

  /** readAll's statement with only the link's columns; hash is NOT NULL since event-hashes. */
  async readChain(options: ReadAllOptions): Promise<ChainEntry[]> {
    const { where, params } = globalOrderWhere(options);
    const { rows } = await this.pool.query<ChainRow>(
      `SELECT transaction_id::text AS tx_text, seq::text AS seq_text,
              event_id::text AS event_id_text, stream_id,
              stream_version::text AS stream_version_text, hash
         FROM events WHERE ${where} ORDER BY transaction_id, seq LIMIT $1`,
      params,
    );
    return rows.map((row) => ({
      position: { commit: BigInt(row.tx_text), prepare: BigInt(row.seq_text) },
      eventId: row.event_id_text,
      streamId: row.stream_id,
      streamVersion: Number(row.stream_version_text),
      hash: row.hash,
    }));
  }

  subscribeToAll(options: SubscribeOptions): Subscription {
    return pollingSubscription(this, options, this.options.pollIntervalMs);
  }

  onAppended(listener: () => void): () => void {
    this.listeners.add(listener);
    this.listening ??= this.listen();
    return () => this.listeners.delete(listener);
  }

  async headPosition(): Promise<Position | undefined> {
    const { rows } = await this.pool.query<{ tx_text: string; seq_text: string }>(
      `SELECT transaction_id::text AS tx_text, seq::text AS seq_text FROM events
        ORDER BY transaction_id DESC, seq DESC LIMIT 1`,
    );
    return rows[0]
      ? { commit: BigInt(rows[0].tx_text), prepare: BigInt(rows[0].seq_text) }
      : undefined;
  }

  async verifyStream(streamId: string): Promise<StreamVerification> {
    const { rows } = await this.pool.query<VerificationRow>(VERIFY_STREAM, [streamId]);
    const row = rows[0];
    if (!row) return { valid: true, events: 0 };
    if (!row.reason) return { valid: true, events: row.total };
    return {
      valid: false,
      events: row.total,
      firstBroken: {
        streamId,
        streamVersion: Number(row.version_text),
        eventId: row.event_id_text,
        position: formatPosition({ commit: BigInt(row.tx_text), prepare: BigInt(row.seq_text) }),
        reason: row.reason,
      },
    };
  }

  async readStreamContent(streamId: string): Promise<HashedEvent[]> {
    const { rows } = await this.pool.query<ContentRow>(READ_STREAM_CONTENT, [streamId]);
    return rows.map((row) => ({
      position: { commit: BigInt(row.tx_text), prepare: BigInt(row.seq_text) },
      content: {
        eventId: row.event_id_text,
        streamId: row.stream_id,
        streamVersion: Number(row.stream_version_text),
        type: row.type,
        schemaVersion: row.schema_version,
        dataJson: row.data_text,
        metadataJson: row.metadata_text,
        recordedAt: row.recorded_at_text,
      },
      prevHash: row.prev_hash,
      hash: row.hash,
    }));
  }

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
    await this.waking;
    await this.listenClient?.end().catch(() => undefined);
    await this.pool.end();
  }

  private toRecorded(row: EventRow): RecordedEvent {
    const { version, data } = this.options.schemas.upcast(row.type, row.schema_version, row.data);
    return {
      type: row.type,
      schemaVersion: version,
      data,
      metadata: row.metadata,
      streamId: row.stream_id,
      streamVersion: Number(row.stream_version_text),
      position: { commit: BigInt(row.tx_text), prepare: BigInt(row.seq_text) },
      recordedAt: row.recorded_at.toISOString(),
    };
  }

  private notifyLocal(): void {
    for (const listener of this.listeners) listener();
  }

  /**
   * Tells other processes on this database (instances, the projections CLI) that events were
   * committed. Sent after the commit, outside the appending transaction (see
   * append-without-notify.schema.ts), and coalesced: at most one NOTIFY is in flight, and appends
   * that commit meanwhile are covered by one more after it. A lost wake-up (a crash right after
   * the commit) only delays the others until their next poll.
   */
  private wakeOtherProcesses(): void {
    if (this.waking) {
      this.wakeAgain = true;
      return;
    }
    this.waking = this.pool
      .query(`SELECT pg_notify('${NOTIFY_CHANNEL}', '')`)
      .then(
        () => undefined,
        () => undefined,
      )
      .finally(() => {
        this.waking = undefined;
        if (this.wakeAgain && !this.closed) {
          this.wakeAgain = false;
          this.wakeOtherProcesses();
        }
      });
  }

  /** Keeps one LISTEN connection open, reconnecting after a server restart. */
  private async listen(): Promise<void> {
    while (!this.closed) {
      const client = new BoundedPgClient({
        connectionString: this.options.connectionString,
        ...boundedConnectionConfig(
          `${this.options.applicationName ?? 'event-store'} listen`,
          this.options.timeouts,
        ),
      });
      // Listening for the whole life of the client: an 'error' event without a listener (a
      // second one, or one during connect) would crash the process.
      const lost = new Promise<void>((resolve) => {
        client.on('error', () => resolve());
        client.once('end', () => resolve());
      });
      try {
        await client.connect();
        this.listenClient = client;
        client.on('notification', () => this.notifyLocal());
        await client.query(`LISTEN ${NOTIFY_CHANNEL}`);
        // Events committed while we were disconnected: wake everybody once.
        this.notifyLocal();
        await lost;
      } catch {
        // fall through to the retry delay
      }
      await client.end().catch(() => undefined);
      if (!this.closed) await new Promise((r) => setTimeout(r, 1000));
    }
  }
}
