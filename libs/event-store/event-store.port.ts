import type { NewEvent, RecordedEvent } from './event-envelope.js';
import type { ExpectedVersion } from './expected-version.js';
import type { HashedContent } from './hash-chain.js';
import type { Position } from './position.js';

export interface AppendResult {
  /** 0-based version of the stream's last event after the append. */
  readonly nextExpectedVersion: number;
  /** Global position of the last appended event. */
  readonly position: Position;
}

export interface ReadStreamOptions {
  /** First stream version to return (inclusive), default 0. */
  readonly fromVersion?: number;
  /** Only events at or before this global position. */
  readonly toPosition?: Position;
  /** Only events recorded at or before this moment. */
  readonly toTime?: Date;
  readonly maxCount?: number;
}

export interface ReadAllOptions {
  /** Exclusive: events strictly after this position. Default: from the beginning. */
  readonly after?: Position;
  readonly maxCount: number;
}

export interface SubscribeOptions {
  /** Exclusive checkpoint; the subscription catches up from here, then follows live. */
  readonly after?: Position;
  /** Called with consecutive events in global order; the next batch waits for the promise. */
  readonly onEvents: (events: readonly RecordedEvent[]) => Promise<void>;
  readonly onError?: (error: unknown) => void;
  readonly batchSize?: number;
}

export interface Subscription {
  close(): Promise<void>;
}

/**
 * The first event whose stored hash chain does not hold:
 * - `chain-broken`: its stored prev_hash is not the hash of the event before it in the stream
 *   (an event was removed, reordered or its link rewritten);
 * - `hash-mismatch`: its link is intact, but its stored content no longer hashes to its stored
 *   hash (the event was changed after it was appended).
 */
export interface BrokenLink {
  readonly streamId: string;
  readonly streamVersion: number;
  readonly eventId: string;
  /** The event's global position, formatted ("<commit>-<prepare>"). */
  readonly position: string;
  readonly reason: 'hash-mismatch' | 'chain-broken';
}

export interface StreamVerification {
  /** True when every event of the stream hashes to its stored hash and links to its predecessor. */
  readonly valid: boolean;
  /** How many events the stream has (all of them are checked). */
  readonly events: number;
  /** Only when invalid: the first event, in stream order, where the chain breaks. */
  readonly firstBroken?: BrokenLink;
}

/**
 * One event's link in the hash chain, as the store keeps it: what a Merkle tree over the whole
 * store (in global order) takes as its leaf. Read without the event's data, and never upcast,
 * so it does not change with the code that reads it.
 */
export interface ChainEntry {
  readonly position: Position;
  readonly eventId: string;
  readonly streamId: string;
  readonly streamVersion: number;
  /**
   * The event's stored chain hash (32 bytes, see libs/event-store/hash-chain.ts): the value
   * verifyStream checks against the event's content and that the next event of the stream stores
   * as its prev hash. Returned as stored, so a tampered hash reads as tampered (verifyStream names
   * it). An EventStoreDB event appended before the chain existed has none; it gives the hash
   * verifyStream computes for it (and the stream's first hashed event links to).
   */
  readonly hash: Buffer;
}

/**
 * One event exactly as its hash chain covers it (libs/event-store/hash-chain.ts): the texts the
 * hash was computed over, read from what is stored now, so that `eventHash(prevHash, content)`
 * equals `hash` for an untouched event and differs for a changed one. What an outsider needs to
 * recompute the hash (and with it the Merkle leaf) without the store.
 */
export interface HashedEvent {
  readonly position: Position;
  /** Postgres: data::text and metadata::text (jsonb's text); EventStoreDB: JSON.stringify. */
  readonly content: HashedContent;
  /** The stored link to the event before it in the stream; null for version 0. */
  readonly prevHash: Buffer | null;
  /**
   * The stored chain hash (the Merkle leaf is leafHash of it). An EventStoreDB event appended
   * before the chain existed has none stored: it gives the hash verifyStream computes for it,
   * and its prevHash is the hash computed for the event before it.
   */
  readonly hash: Buffer;
}

/**
 * The event store port. Both adapters (Postgres, EventStoreDB) pass one contract suite:
 * libs/event-store/testing/event-store.contract.ts.
 */
export interface EventStore {
  readonly kind: 'postgres' | 'eventstoredb';

  /** Appends atomically; throws WrongExpectedVersionError when the stream is not as expected. */
  appendToStream(
    streamId: string,
    events: readonly NewEvent[],
    options: { expectedVersion: ExpectedVersion },
  ): Promise<AppendResult>;

  /** Events of one stream in version order; an unknown stream reads as empty. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;

  /**
   * Events of all streams in global order. Never returns an event while an earlier one in
   * that order may still commit, so a reader that follows its checkpoint skips nothing.
   */
  readAll(options: ReadAllOptions): Promise<RecordedEvent[]>;

  /**
   * The hash chain in global order: for each event after `after` (exclusive, default from the
   * start), its position, id, stream, version and stored hash, as appended (no upcasting, no
   * data). Never returns an entry while an earlier one may still commit (as readAll).
   */
  readChain(options: ReadAllOptions): Promise<ChainEntry[]>;

  /** Catch-up, then live: every committed event after the checkpoint, once, in order. */
  subscribeToAll(options: SubscribeOptions): Subscription;

  /** A hint that new events may be readable; spurious calls are allowed, missed ones are not. */
  onAppended(listener: () => void): () => void;

  /**
   * Position of the last committed event, or undefined for an empty store. readAll reaches it
   * once every transaction that began before it has ended (Postgres: the xmin horizon is
   * cluster-wide, so a long transaction anywhere on the server delays it).
   */
  headPosition(): Promise<Position | undefined>;

  /**
   * Tamper evidence: every event carries sha256(predecessor's hash || canonical content), see
   * libs/event-store/hash-chain.ts. Recomputes the stream's chain from the stored content and
   * names the first broken link; an unknown stream is valid with 0 events.
   */
  verifyStream(streamId: string): Promise<StreamVerification>;

  /**
   * A stream's events as their hash chain covers them (hash-chain.ts), in version order: the
   * stored content as the hash was computed over it, with the stored links, never upcast. An
   * unknown stream gives [].
   */
  readStreamContent(streamId: string): Promise<HashedEvent[]>;

  /** Throws when the store cannot be reached. */
  ping(): Promise<void>;

  close(): Promise<void>;
}

/** Nest injection token for the configured EventStore. */
export const EVENT_STORE = Symbol('EVENT_STORE');
