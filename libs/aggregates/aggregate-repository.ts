import { newEventId } from '../event-store/event-id.js';
import type { DataSource } from 'typeorm';
import type { Clock } from '../clock/index.js';
import type { Actor, NewEvent } from '../event-store/event-envelope.js';
import type { AppendResult, EventStore } from '../event-store/event-store.port.js';
import { NO_STREAM } from '../event-store/expected-version.js';
import type {
  AggregateType,
  DomainEvent,
  EventSourcedAggregate,
} from './event-sourced-aggregate.js';

/** Who is acting and why: becomes the metadata of every event a command appends. */
export interface CommandContext {
  readonly actor: Actor;
  readonly correlationId: string;
  readonly causationId?: string;
  readonly onBehalfOf?: string;
}

export class AggregateNotFoundError extends Error {
  override readonly name = 'AggregateNotFoundError';
}

type AnyAggregate = EventSourcedAggregate<unknown, DomainEvent>;

/** Where a stream's events and snapshots are kept. */
export interface StreamKind {
  /** Stream category: streams are named `<category>-<id>`. */
  readonly category: string;
  /** Bump when the state's shape changes: older snapshots are then ignored. */
  readonly snapshotVersion: number;
}

/** A stream kind with the pure fold of its events (a decider's evolve). */
export interface FoldedStream<State, Event extends DomainEvent> extends StreamKind {
  readonly initialState: State;
  evolve(state: State, event: Event): State;
}

/** A stream's state and the version of its last event (-1: no stream yet). */
export interface StreamState<State> {
  readonly state: State;
  readonly version: number;
}

/**
 * Loads aggregates by replaying their stream (from the latest snapshot when there is one) and
 * saves new events with the loaded version as the expected version, so a concurrent change
 * surfaces as WrongExpectedVersionError instead of a lost update.
 */
export class AggregateRepository {
  constructor(
    private readonly store: EventStore,
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly options: { municipality: string; snapshotEvery: number },
  ) {}

  streamId(type: StreamKind, id: string): string {
    return `${type.category}-${id}`;
  }

  async load<A extends AnyAggregate>(type: AggregateType<A>, id: string): Promise<A> {
    const aggregate = await this.tryLoad(type, id);
    if (!aggregate) throw new AggregateNotFoundError(`${type.category} ${id} does not exist`);
    return aggregate;
  }

  async tryLoad<A extends AnyAggregate>(
    type: AggregateType<A>,
    id: string,
  ): Promise<A | undefined> {
    const streamId = this.streamId(type, id);
    const aggregate = type.create(id);
    const rows: Array<{ stream_version: string; state: unknown }> = await this.dataSource.query(
      `SELECT stream_version::text, state FROM aggregate_snapshots
        WHERE stream_id = $1 AND snapshot_version = $2`,
      [streamId, type.snapshotVersion],
    );
    if (rows[0]) aggregate.restore(rows[0].state, Number(rows[0].stream_version));
    const events = await this.store.readStream(streamId, { fromVersion: aggregate.version + 1 });
    if (events.length === 0 && aggregate.version < 0) return undefined;
    aggregate.loadFromHistory(events.map((e) => ({ type: e.type, data: e.data })));
    if (events.length > 0) aggregate.version = events[events.length - 1].streamVersion;
    return aggregate;
  }

  /** The fold of a stream's events from its latest snapshot; undefined while it has none. */
  async loadState<State, Event extends DomainEvent>(
    type: FoldedStream<State, Event>,
    id: string,
  ): Promise<StreamState<State> | undefined> {
    const streamId = this.streamId(type, id);
    const rows: Array<{ stream_version: string; state: State }> = await this.dataSource.query(
      `SELECT stream_version::text, state FROM aggregate_snapshots
        WHERE stream_id = $1 AND snapshot_version = $2`,
      [streamId, type.snapshotVersion],
    );
    let state = rows[0] ? rows[0].state : type.initialState;
    let version = rows[0] ? Number(rows[0].stream_version) : -1;
    const events = await this.store.readStream(streamId, { fromVersion: version + 1 });
    if (events.length === 0 && version < 0) return undefined;
    for (const e of events) state = type.evolve(state, { type: e.type, data: e.data } as Event);
    if (events.length > 0) version = events[events.length - 1].streamVersion;
    return { state, version };
  }

  async save(
    aggregate: AnyAggregate,
    type: AggregateType<AnyAggregate>,
    context: CommandContext,
  ): Promise<AppendResult | undefined> {
    const pending = aggregate.getUncommittedEvents();
    if (pending.length === 0) return undefined;
    // The aggregate's state already holds its pending events: it is the state after them.
    const result = await this.append(
      type,
      aggregate.id,
      pending,
      aggregate.version,
      context,
      () => aggregate.currentState,
    );
    aggregate.version = result.nextExpectedVersion;
    aggregate.commit();
    return result;
  }

  /**
   * Appends a command's events with `expectedVersion` as the concurrency check (a concurrent
   * change surfaces as WrongExpectedVersionError, a 409), the command's metadata on each, and
   * snapshots the state after them every `snapshotEvery` events.
   */
  async append(
    type: StreamKind,
    id: string,
    pending: readonly DomainEvent[],
    expectedVersion: number,
    context: CommandContext,
    stateAfter: () => unknown,
  ): Promise<AppendResult> {
    const occurredAt = this.clock.now().toISOString();
    const events: NewEvent[] = pending.map((event) => ({
      type: event.type,
      data: event.data,
      metadata: {
        eventId: newEventId(),
        correlationId: context.correlationId,
        causationId: context.causationId,
        actor: context.actor,
        onBehalfOf: context.onBehalfOf,
        occurredAt,
        municipality: this.options.municipality,
      },
    }));
    const streamId = this.streamId(type, id);
    const result = await this.store.appendToStream(streamId, events, {
      expectedVersion: expectedVersion < 0 ? NO_STREAM : expectedVersion,
    });
    const every = this.options.snapshotEvery;
    const version = result.nextExpectedVersion;
    if (Math.floor(version / every) > Math.floor(expectedVersion / every)) {
      await this.snapshot(streamId, version, stateAfter(), type.snapshotVersion);
    }
    return result;
  }

  private async snapshot(
    streamId: string,
    version: number,
    stateAfter: unknown,
    snapshotVersion: number,
  ) {
    // A snapshot is only an optimisation: losing a race for it, or failing, is harmless.
    // The history copy is taken after the append, so its time is never before its last event's.
    const state = JSON.stringify(stateAfter);
    await this.dataSource
      .query(
        `WITH latest AS (
           INSERT INTO aggregate_snapshots (stream_id, stream_version, snapshot_version, state)
           VALUES ($1, $2, $3, $4)
           ON CONFLICT (stream_id) DO UPDATE SET stream_version = excluded.stream_version,
             snapshot_version = excluded.snapshot_version, state = excluded.state, taken_at = now()
           WHERE aggregate_snapshots.stream_version < excluded.stream_version)
         INSERT INTO aggregate_snapshot_history (stream_id, stream_version, snapshot_version, taken_at, state)
         VALUES ($1, $2, $3, $5, $4) ON CONFLICT DO NOTHING`,
        [streamId, version, snapshotVersion, state, this.clock.now().toISOString()],
      )
      .catch(() => undefined);
  }

  /**
   * The state of a stream as of its latest snapshot taken at or before `asOf` (time travel),
   * or undefined when there is none; the caller replays the events after `version`.
   */
  async snapshotAsOf<S>(
    type: StreamKind,
    id: string,
    asOf: Date,
  ): Promise<{ state: S; version: number } | undefined> {
    // Ordered by the bigint column, not by the text it is returned as ("99" > "119" as text).
    const rows: Array<{ stream_version: string; state: S }> = await this.dataSource.query(
      `SELECT h.stream_version::text AS stream_version, h.state FROM aggregate_snapshot_history h
        WHERE h.stream_id = $1 AND h.snapshot_version = $2 AND h.taken_at <= $3
        ORDER BY h.stream_version DESC LIMIT 1`,
      [this.streamId(type, id), type.snapshotVersion, asOf.toISOString()],
    );
    return rows[0] ? { state: rows[0].state, version: Number(rows[0].stream_version) } : undefined;
  }
}
