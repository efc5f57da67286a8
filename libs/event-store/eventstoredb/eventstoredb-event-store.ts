import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  NO_STREAM as ESDB_NO_STREAM,
  START as ESDB_START,
  StreamNotFoundError,
  WrongExpectedVersionError as EsdbWrongExpectedVersionError,
  jsonEvent,
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
import { ANY, NO_STREAM, STREAM_EXISTS, type ExpectedVersion } from '../expected-version.js';
import {
  canonicalTimestamp,
  eventHash,
  walkChain,
  type ChainLink,
  type HashedContent,
} from '../hash-chain.js';
import { pollingSubscription } from '../polling-subscription.js';
import { comparePositions, formatPosition, START, type Position } from '../position.js';
import type { EventSchemaRegistry } from '../upcasting.js';

/** Servers before 22.6 send this instead of a position on stream reads. */
const NO_POSITION = 2n ** 64n - 1n;

/** What we store as ESDB metadata: our envelope metadata plus what Postgres keeps in columns. */
interface StoredMetadata extends EventMetadata {
  readonly schemaVersion?: number;
  readonly recordedAt?: string;
  /** Hash chain (hex), see ../hash-chain.ts; absent on events appended before it existed. */
  readonly prevHash?: string | null;
  readonly hash?: string;
}

/** Appends with `any` or `stream_exists` that lose a race retry on the new head this often. */
const MAX_APPEND_ATTEMPTS = 50;

/** The stream's last event as the next append links to it. */
interface ChainHead {
  /** Undefined when the stream does not exist. */
  readonly revision: bigint | undefined;
  readonly hash: Buffer | null;
}

function satisfies(expected: ExpectedVersion, actual: number | undefined): boolean {
  switch (expected) {
    case NO_STREAM:
      return actual === undefined;
    case STREAM_EXISTS:
      return actual !== undefined;
    case ANY:
      return true;
    default:
      return actual === expected;
  }
}

/** The envelope metadata without what the store adds to it. */
function envelopeOf(stored: StoredMetadata): EventMetadata {
  const { schemaVersion: _s, recordedAt: _r, prevHash: _p, hash: _h, ...metadata } = stored;
  return metadata;
}

/**
 * What the hash covers, from a stored event. The client sends JSON.stringify(data) and
 * JSON.stringify(metadata) and parses them back on read; stringifying the parsed value gives
 * the same text again, and the envelope keeps its key order because the store's own keys are
 * appended after it.
 */
function storedContent(event: EsdbRecordedEvent, stored: StoredMetadata): HashedContent {
  return {
    eventId: stored.eventId,
    streamId: event.streamId,
    streamVersion: Number(event.revision),
    type: event.type,
    schemaVersion: stored.schemaVersion ?? 1,
    dataJson: JSON.stringify(event.data) ?? 'null',
    metadataJson: JSON.stringify(envelopeOf(stored)),
    recordedAt: canonicalTimestamp(stored.recordedAt ?? event.created),
  };
}

function chainLink(event: EsdbRecordedEvent, stored: StoredMetadata): ChainLink {
  return {
    content: storedContent(event, stored),
    storedHash: stored.hash,
    storedPrevHash: stored.prevHash,
    position: formatPosition(positionOf(event) ?? START),
  };
}

export interface EventStoreDbEventStoreOptions {
  /** e.g. esdb://localhost:2113?tls=false */
  readonly connectionString: string;
  readonly schemas: EventSchemaRegistry;
  readonly clock: Clock;
  /** Fallback poll interval for subscriptions, in milliseconds. */
  readonly pollIntervalMs?: number;
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

/**
 * The event's stored chain hash, decoded as verifyStream decodes it to link the next event;
 * undefined for an event appended before the chain existed.
 */
function storedHashOf(stored: StoredMetadata): Buffer | undefined {
  const hash: unknown = stored.hash;
  if (hash === undefined) return undefined;
  if (typeof hash !== 'string') {
    throw new TypeError(`Event ${stored.eventId} stores a hash that is not hex text`);
  }
  return Buffer.from(hash, 'hex');
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

  /**
   * Each event's metadata carries the hash chain (prevHash, hash). The head it links to is read
   * first and the append then expects exactly that head, so a writer that slipped in between
   * makes it fail instead of forking the chain. The caller's expected version is checked against
   * the same head; `any` and `stream_exists` retry on the new head, since they accept any.
   */
  async appendToStream(
    streamId: string,
    events: readonly NewEvent[],
    { expectedVersion }: { expectedVersion: ExpectedVersion },
  ): Promise<AppendResult> {
    if (events.length === 0) throw new RangeError('appendToStream needs at least one event');
    // ESDB records its own creation time, but we keep the app clock's, so dev-clock time travel
    // reads the same on both adapters.
    const recordedAt = this.options.clock.now().toISOString();
    let result: EsdbAppendResult;
    for (let attempt = 1; ; attempt += 1) {
      const head = await this.chainHead(streamId);
      const current = head.revision === undefined ? undefined : Number(head.revision);
      if (!satisfies(expectedVersion, current)) {
        throw new WrongExpectedVersionError(streamId, expectedVersion, current);
      }
      const outcome = await this.appendLinked(streamId, events, head, recordedAt);
      if (outcome.appended) {
        result = outcome.result;
        break;
      }
      const retry = expectedVersion === ANY || expectedVersion === STREAM_EXISTS;
      if (!retry || attempt >= MAX_APPEND_ATTEMPTS) {
        throw new WrongExpectedVersionError(streamId, expectedVersion, outcome.actual);
      }
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
    await this.scanAll(FORWARDS, from, maxCount + 1, (event, stored, position) => {
      recorded.push(this.toRecorded(event, stored, position));
      return recorded.length < maxCount;
    });
    return recorded;
  }

  /**
   * readAll's scan of $all, taking each event's hash from its metadata. An event appended before
   * the chain existed has none: it gets the hash verifyStream recomputes for it (the one the
   * stream's first hashed event links to), from one walk of its stream per call.
   */
  async readChain({ after, maxCount }: ReadAllOptions): Promise<ChainEntry[]> {
    const entries: ChainEntry[] = [];
    if (maxCount <= 0) return entries;
    const from = after && after.commit >= 0n ? after : undefined;
    const unhashed: number[] = [];
    await this.scanAll(FORWARDS, from, maxCount + 1, (event, stored, position) => {
      const hash = storedHashOf(stored);
      if (!hash) unhashed.push(entries.length);
      entries.push({
        position,
        eventId: stored.eventId,
        streamId: event.streamId,
        streamVersion: Number(event.revision),
        hash: hash ?? Buffer.alloc(0),
      });
      return entries.length < maxCount;
    });
    const walked = new Map<string, Map<number, Buffer>>();
    for (const index of unhashed) {
      const entry = entries[index];
      let byVersion = walked.get(entry.streamId);
      if (!byVersion) {
        const links = await this.chainLinks(entry.streamId);
        const { hashes } = walkChain(entry.streamId, links);
        byVersion = new Map(links.map((link, i) => [link.content.streamVersion, hashes[i]]));
        walked.set(entry.streamId, byVersion);
      }
      const hash = byVersion.get(entry.streamVersion);
      if (!hash) {
        throw new Error(
          `Event ${entry.eventId} has no stored hash and its stream no longer holds it to recompute one`,
        );
      }
      entries[index] = { ...entry, hash };
    }
    return entries;
  }

  async verifyStream(streamId: string): Promise<StreamVerification> {
    return walkChain(streamId, await this.chainLinks(streamId)).verification;
  }

  /**
   * verifyStream's walk of the stream, with each event's content as it hashes it: a hashed event
   * gives its stored links, one appended before the chain existed the hashes the walk computes
   * for it and the event before it (as readChain does).
   */
  async readStreamContent(streamId: string): Promise<HashedEvent[]> {
    const events = await this.storedEvents(streamId);
    const links = events.map(({ event, stored }) => chainLink(event, stored));
    const { hashes } = walkChain(streamId, links);
    return events.map(({ event, stored }, i) => {
      const storedHash = storedHashOf(stored);
      const computedPrev = i === 0 ? null : hashes[i - 1];
      const prevHash =
        storedHash === undefined
          ? computedPrev
          : typeof stored.prevHash === 'string'
            ? Buffer.from(stored.prevHash, 'hex')
            : null;
      return {
        position: positionOf(event) ?? START,
        content: links[i].content,
        prevHash,
        hash: storedHash ?? hashes[i],
      };
    });
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
    await this.scanAll(BACKWARDS, undefined, 100, (_event, _stored, position) => {
      head = position;
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
   * `take` (with its stored metadata and position) until it returns false or the log ends.
   * $all also holds system events and events of other writers, so a page may yield fewer of
   * ours than it reads.
   */
  private async scanAll(
    direction: Direction,
    from: Position | undefined,
    pageSize: number,
    take: (event: EsdbRecordedEvent, stored: StoredMetadata, position: Position) => boolean,
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
        if (!take(event, metadata, position)) {
          // Leaving the loop only stops our side; cancel the call so the server stops sending.
          await page.cancel();
          return;
        }
      }
      if (read < size) return;
    }
  }

  /** Appends the events linked to `head`, expecting exactly that head. */
  private async appendLinked(
    streamId: string,
    events: readonly NewEvent[],
    head: ChainHead,
    recordedAt: string,
  ): Promise<
    { appended: true; result: EsdbAppendResult } | { appended: false; actual: number | undefined }
  > {
    const firstVersion = head.revision === undefined ? 0 : Number(head.revision) + 1;
    let prev = head.hash;
    const eventData = events.map((event, i) => {
      const schemaVersion = this.options.schemas.currentVersion(event.type);
      const hash = eventHash(prev, {
        eventId: event.metadata.eventId,
        streamId,
        streamVersion: firstVersion + i,
        type: event.type,
        schemaVersion,
        dataJson: JSON.stringify(event.data) ?? 'null',
        metadataJson: JSON.stringify(event.metadata),
        recordedAt: canonicalTimestamp(recordedAt),
      });
      const metadata: StoredMetadata = {
        ...event.metadata,
        schemaVersion,
        recordedAt,
        prevHash: prev ? prev.toString('hex') : null,
        hash: hash.toString('hex'),
      };
      prev = hash;
      return jsonEvent({
        id: event.metadata.eventId,
        type: event.type,
        // The client JSON.stringifies any value; JSONType only names the usual shapes.
        data: event.data as JSONType,
        metadata: metadata as unknown as JSONType,
      });
    });
    try {
      const result = await this.client.appendToStream(streamId, eventData, {
        expectedRevision: head.revision ?? ESDB_NO_STREAM,
      });
      // Only unsuccessful when the connection string says throwOnAppendFailure=false.
      if (result.success) return { appended: true, result };
      const actual = result.nextExpectedRevision;
      return { appended: false, actual: actual >= 0n ? Number(actual) : undefined };
    } catch (error) {
      if (error instanceof EsdbWrongExpectedVersionError) {
        const actual = error.actualVersion;
        return { appended: false, actual: typeof actual === 'bigint' ? Number(actual) : undefined };
      }
      throw error;
    }
  }

  /** The stream's last revision and the hash the next event links to. */
  private async chainHead(streamId: string): Promise<ChainHead> {
    let last: EsdbRecordedEvent | undefined;
    try {
      for await (const resolved of this.client.readStream(streamId, {
        direction: BACKWARDS,
        fromRevision: END,
        maxCount: 1,
      })) {
        last = resolved.event ?? last;
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return { revision: undefined, hash: null };
      throw error;
    }
    if (!last) return { revision: undefined, hash: null };
    const stored = storedMetadata(last);
    if (stored?.hash !== undefined) {
      return { revision: last.revision, hash: Buffer.from(stored.hash, 'hex') };
    }
    // The last event is older than the hash chain (or not ours): recompute the chain over the
    // stream, as verifyStream does, and link to its end. Once per such stream.
    return {
      revision: last.revision,
      hash: walkChain(streamId, await this.chainLinks(streamId)).lastHash,
    };
  }

  /** The stream's events of ours in version order, as hash-chain links. */
  private async chainLinks(streamId: string): Promise<ChainLink[]> {
    return (await this.storedEvents(streamId)).map(({ event, stored }) => chainLink(event, stored));
  }

  /** The stream's events of ours in version order, with their stored metadata. */
  private async storedEvents(
    streamId: string,
  ): Promise<{ event: EsdbRecordedEvent; stored: StoredMetadata }[]> {
    const events: { event: EsdbRecordedEvent; stored: StoredMetadata }[] = [];
    try {
      for await (const resolved of this.client.readStream(streamId, { direction: FORWARDS })) {
        if (!resolved.event) continue;
        const stored = storedMetadata(resolved.event);
        if (stored) events.push({ event: resolved.event, stored });
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
    return events;
  }

  private toRecorded(
    event: EsdbRecordedEvent,
    stored: StoredMetadata,
    position: Position,
  ): RecordedEvent {
    const { schemaVersion, recordedAt } = stored;
    const metadata = envelopeOf(stored);
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
