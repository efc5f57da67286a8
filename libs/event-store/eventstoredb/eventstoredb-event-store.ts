import {
  ANY as ESDB_ANY,
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  NO_STREAM as ESDB_NO_STREAM,
  START as ESDB_START,
  STREAM_EXISTS as ESDB_STREAM_EXISTS,
  StreamNotFoundError,
  WrongExpectedVersionError as EsdbWrongExpectedVersionError,
  jsonEvent,
  type AppendExpectedRevision,
  type AppendResult as EsdbAppendResult,
  type Direction,
  type RecordedEvent as EsdbRecordedEvent,
  type JSONType,
  type ReadPosition,
} from '@eventstore/db-client';
import type { Clock } from '../../clock/index.js';
import type { EventMetadata, NewEvent, RecordedEvent } from '../event-envelope.js';
import type {
  AppendResult,
  EventStore,
  ReadAllOptions,
  ReadStreamOptions,
  SubscribeOptions,
  Subscription,
} from '../event-store.port.js';
import { WrongExpectedVersionError } from '../errors.js';
import { ANY, NO_STREAM, STREAM_EXISTS, type ExpectedVersion } from '../expected-version.js';
import { pollingSubscription } from '../polling-subscription.js';
import { comparePositions, START, type Position } from '../position.js';
import type { EventSchemaRegistry } from '../upcasting.js';

/** Servers before 22.6 send this instead of a position on stream reads. */
const NO_POSITION = 2n ** 64n - 1n;

/** What we store as ESDB metadata: our envelope metadata plus what Postgres keeps in columns. */
interface StoredMetadata extends EventMetadata {
  readonly schemaVersion?: number;
  readonly recordedAt?: string;
}

export interface EventStoreDbEventStoreOptions {
  /** e.g. esdb://localhost:2113?tls=false */
  readonly connectionString: string;
  readonly schemas: EventSchemaRegistry;
  readonly clock: Clock;
  /** Fallback poll interval for subscriptions, in milliseconds. */
  readonly pollIntervalMs?: number;
}

function toExpectedRevision(expected: ExpectedVersion): AppendExpectedRevision {
  switch (expected) {
    case NO_STREAM:
      return ESDB_NO_STREAM;
    case ANY:
      return ESDB_ANY;
    case STREAM_EXISTS:
      return ESDB_STREAM_EXISTS;
    default:
      return BigInt(expected);
  }
}

/** Our metadata, or undefined for system events and events other writers put in the log. */
function storedMetadata(event: EsdbRecordedEvent): StoredMetadata | undefined {
  const metadata: unknown = event.metadata;
  if (typeof metadata !== 'object' || metadata === null || metadata instanceof Uint8Array) {
    return undefined;
  }
  return typeof (metadata as { eventId?: unknown }).eventId === 'string'
    ? (metadata as StoredMetadata)
    : undefined;
}

function positionOf(event: EsdbRecordedEvent): Position | undefined {
  const position = event.position;
  if (!position || position.commit < 0n || position.commit >= NO_POSITION) return undefined;
  return { commit: position.commit, prepare: position.prepare };
}

export class EventStoreDbEventStore implements EventStore {
  readonly kind = 'eventstoredb' as const;
  private readonly client: EventStoreDBClient;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly options: EventStoreDbEventStoreOptions) {
    this.client = EventStoreDBClient.connectionString(options.connectionString);
  }

  async appendToStream(
    streamId: string,
    events: readonly NewEvent[],
    { expectedVersion }: { expectedVersion: ExpectedVersion },
  ): Promise<AppendResult> {
    if (events.length === 0) throw new RangeError('appendToStream needs at least one event');
    // ESDB records its own creation time, but we keep the app clock's, so dev-clock time travel
    // reads the same on both adapters.
    const recordedAt = this.options.clock.now().toISOString();
    const eventData = events.map((event) =>
      jsonEvent({
        id: event.metadata.eventId,
        type: event.type,
        // The client JSON.stringifies any value; JSONType only names the usual shapes.
        data: event.data as JSONType,
        metadata: {
          ...event.metadata,
          schemaVersion: this.options.schemas.currentVersion(event.type),
          recordedAt,
        },
      }),
    );
    let result: EsdbAppendResult;
    try {
      result = await this.client.appendToStream(streamId, eventData, {
        expectedRevision: toExpectedRevision(expectedVersion),
      });
    } catch (error) {
      if (error instanceof EsdbWrongExpectedVersionError) {
        const actual = error.actualVersion;
        throw new WrongExpectedVersionError(
          streamId,
          expectedVersion,
          typeof actual === 'bigint' ? Number(actual) : undefined,
        );
      }
      throw error;
    }
    // Only reached when the connection string says throwOnAppendFailure=false.
    if (!result.success) {
      const actual = result.nextExpectedRevision;
      throw new WrongExpectedVersionError(
        streamId,
        expectedVersion,
        actual >= 0n ? Number(actual) : undefined,
      );
    }
    this.notifyLocal();
    const nextExpectedVersion = Number(result.nextExpectedRevision);
    if (result.position) {
      return {
        nextExpectedVersion,
        position: { commit: result.position.commit, prepare: result.position.prepare },
      };
    }
    // The events are stored; failing now would report a committed command as failed. Read the
    // position of the last one back instead.
    const [last] = await this.readStream(streamId, { fromVersion: nextExpectedVersion });
    return { nextExpectedVersion, position: last?.position ?? START };
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const { toPosition, toTime, maxCount } = options;
    const filtered = toPosition !== undefined || toTime !== undefined;
    const recorded: RecordedEvent[] = [];
    try {
      const read = this.client.readStream(streamId, {
        direction: FORWARDS,
        fromRevision: BigInt(options.fromVersion ?? 0),
        // With filters the count applies to what passes them, so the server cannot cut it.
        ...(maxCount !== undefined && !filtered ? { maxCount } : {}),
      });
      for await (const resolved of read) {
        if (!resolved.event) continue;
        const metadata = storedMetadata(resolved.event);
        if (!metadata) continue;
        const position = positionOf(resolved.event);
        // An event without a position (old servers) cannot be placed, so it is kept.
        if (toPosition && position && comparePositions(position, toPosition) > 0) continue;
        const event = this.toRecorded(resolved.event, metadata, position ?? START);
        if (toTime && Date.parse(event.recordedAt) > toTime.getTime()) continue;
        recorded.push(event);
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
    return maxCount === undefined ? recorded : recorded.slice(0, maxCount);
  }

  async readAll({ after, maxCount }: ReadAllOptions): Promise<RecordedEvent[]> {
    const recorded: RecordedEvent[] = [];
    if (maxCount <= 0) return recorded;
    const from = after && after.commit >= 0n ? after : undefined;
    // +1: ESDB's fromPosition is inclusive, so each page may repeat the event we start at.
    await this.scanAll(FORWARDS, from, maxCount + 1, (event) => {
      recorded.push(event);
      return recorded.length < maxCount;
    });
    return recorded;
  }

  subscribeToAll(options: SubscribeOptions): Subscription {
    return pollingSubscription(this, options, this.options.pollIntervalMs);
  }

  /** In-process hints only; appends by other processes are found by the subscription's poll. */
  onAppended(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async headPosition(): Promise<Position | undefined> {
    let head: Position | undefined;
    await this.scanAll(BACKWARDS, undefined, 100, (event) => {
      head = event.position;
      return false;
    });
    return head;
  }

  async ping(): Promise<void> {
    // Reading one event needs a live connection; an unreachable server rejects the read.
    for await (const _event of this.client.readAll({
      direction: BACKWARDS,
      fromPosition: END,
      maxCount: 1,
    })) {
      // nothing to do: reaching the end is the answer
    }
  }

  async close(): Promise<void> {
    this.listeners.clear();
    await this.client.dispose();
  }

  /**
   * Pages through $all from `from` (exclusive) in `direction`, handing each event of ours to
   * `take` until it returns false or the log ends. $all also holds system events and events of
   * other writers, so a page may yield fewer of ours than it reads.
   */
  private async scanAll(
    direction: Direction,
    from: Position | undefined,
    pageSize: number,
    take: (event: RecordedEvent) => boolean,
  ): Promise<void> {
    const size = Math.max(pageSize, 2); // at most one event of a page repeats, so 2 always advances
    let cursor = from;
    for (;;) {
      const fromPosition: ReadPosition = cursor ?? (direction === FORWARDS ? ESDB_START : END);
      const page = this.client.readAll({ direction, fromPosition, maxCount: size });
      let read = 0;
      for await (const resolved of page) {
        read += 1;
        const event = resolved.event;
        if (!event) continue;
        const position: Position = {
          commit: event.position.commit,
          prepare: event.position.prepare,
        };
        // Skip what we have already seen: the inclusive start, whatever the direction.
        if (cursor) {
          const order = comparePositions(position, cursor);
          if (direction === FORWARDS ? order <= 0 : order >= 0) continue;
        }
        cursor = position;
        if (event.type.startsWith('$')) continue;
        const metadata = storedMetadata(event);
        if (!metadata) continue;
        if (!take(this.toRecorded(event, metadata, position))) {
          // Leaving the loop only stops our side; cancel the call so the server stops sending.
          await page.cancel();
          return;
        }
      }
      if (read < size) return;
    }
  }

  private toRecorded(
    event: EsdbRecordedEvent,
    stored: StoredMetadata,
    position: Position,
  ): RecordedEvent {
    const { schemaVersion, recordedAt, ...metadata } = stored;
    const upcast = this.options.schemas.upcast(event.type, schemaVersion ?? 1, event.data);
    return {
      type: event.type,
      schemaVersion: upcast.version,
      data: upcast.data,
      metadata,
      streamId: event.streamId,
      streamVersion: Number(event.revision),
      position,
      recordedAt: recordedAt ?? event.created.toISOString(),
    };
  }

  private notifyLocal(): void {
    for (const listener of this.listeners) listener();
  }
}
