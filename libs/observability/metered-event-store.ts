import type { NewEvent, RecordedEvent } from '../event-store/event-envelope.js';
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
} from '../event-store/event-store.port.js';
import { WrongExpectedVersionError } from '../event-store/errors.js';
import type { ExpectedVersion } from '../event-store/expected-version.js';
import type { Position } from '../event-store/position.js';
import type { Metrics } from './metrics.js';

/** Counts appends and conflicts around any adapter. */
export class MeteredEventStore implements EventStore {
  readonly kind: EventStore['kind'];

  constructor(
    private readonly inner: EventStore,
    private readonly metrics: Metrics,
  ) {
    this.kind = inner.kind;
  }

  async appendToStream(
    streamId: string,
    events: readonly NewEvent[],
    options: { expectedVersion: ExpectedVersion },
  ): Promise<AppendResult> {
    try {
      const result = await this.inner.appendToStream(streamId, events, options);
      this.metrics.eventsAppended.inc(events.length);
      return result;
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) this.metrics.appendConflicts.inc();
      throw error;
    }
  }

  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    return this.inner.readStream(streamId, options);
  }

  readAll(options: ReadAllOptions): Promise<RecordedEvent[]> {
    return this.inner.readAll(options);
  }

  readChain(options: ReadAllOptions): Promise<ChainEntry[]> {
    return this.inner.readChain(options);
  }

  subscribeToAll(options: SubscribeOptions): Subscription {
    return this.inner.subscribeToAll(options);
  }

  onAppended(listener: () => void): () => void {
    return this.inner.onAppended(listener);
  }

  headPosition(): Promise<Position | undefined> {
    return this.inner.headPosition();
  }

  ping(): Promise<void> {
    return this.inner.ping();
  }

  verifyStream(streamId: string): Promise<StreamVerification> {
    return this.inner.verifyStream(streamId);
  }

  readStreamContent(streamId: string): Promise<HashedEvent[]> {
    return this.inner.readStreamContent(streamId);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
