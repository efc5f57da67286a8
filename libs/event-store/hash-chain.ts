import { createHash } from 'node:crypto';
import type { BrokenLink, StreamVerification } from './event-store.port.js';

/**
 * The hash chain of a stream (tamper evidence). Every event stores
 *
 *   hash = sha256(prev_hash || utf8(canonical text))      prev_hash: empty for version 0
 *
 * where prev_hash is the hash of the event before it in the same stream, and the canonical
 * text is these eight fields joined by U+001F (unit separator):
 *
 *   1. event id, lowercase UUID text            3f1c...-...
 *   2. stream id, as a JSON string              "family-3f1c..."
 *   3. stream version, decimal                  0
 *   4. type, as a JSON string                   "family.FamilyRegistered"
 *   5. schema version, decimal                  1
 *   6. data, as JSON text                       {"n": 1}
 *   7. metadata, as JSON text                   {"actor": {...}, ...}
 *   8. recorded at, UTC with microseconds       2027-01-15T09:00:00.123000Z
 *
 * No field can contain a raw U+001F: ids, numbers and the timestamp have fixed forms, and JSON
 * escapes every control character inside strings ("\u001f"), so the separator is unambiguous.
 * The two free-text fields (stream id, type) are JSON-quoted for exactly that reason.
 *
 * Postgres computes this in SQL (function event_hash, libs/event-store/postgres/
 * event-hashes.schema.ts) with data::text and metadata::text, i.e. jsonb's own normalised text
 * (keys sorted, ", " and ": "), not the JSON the writer sent; to_jsonb(text)::text escapes like
 * JSON.stringify (the same short escapes, other controls as lowercase \u00xx). EventStoreDB
 * events are hashed in TypeScript over JSON.stringify of the parsed body. To check a Postgres
 * hash outside the database, read data::text and metadata::text and pass them here as they are.
 */
export const HASH_FIELD_SEPARATOR = '\u001f';

/** What the hash of one event covers: everything the store keeps about it. */
export interface HashedContent {
  readonly eventId: string;
  readonly streamId: string;
  readonly streamVersion: number;
  readonly type: string;
  readonly schemaVersion: number;
  /** The data as stored, as JSON text. */
  readonly dataJson: string;
  /** The metadata as stored (the envelope, without what the store adds), as JSON text. */
  readonly metadataJson: string;
  /** Canonical form, see canonicalTimestamp. */
  readonly recordedAt: string;
}

/**
 * YYYY-MM-DDTHH:MM:SS.ffffffZ in UTC, the form Postgres writes with
 * to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'). A JavaScript Date has
 * milliseconds, so the last three digits are zero; the store records the app clock, which has
 * milliseconds too.
 */
export function canonicalTimestamp(moment: Date | string): string {
  return new Date(moment).toISOString().replace(/Z$/, '000Z');
}

export function canonicalEventText(content: HashedContent): string {
  return [
    content.eventId,
    JSON.stringify(content.streamId),
    String(content.streamVersion),
    JSON.stringify(content.type),
    String(content.schemaVersion),
    content.dataJson,
    content.metadataJson,
    content.recordedAt,
  ].join(HASH_FIELD_SEPARATOR);
}

export function eventHash(prevHash: Buffer | null, content: HashedContent): Buffer {
  const hash = createHash('sha256');
  if (prevHash) hash.update(prevHash);
  hash.update(canonicalEventText(content), 'utf8');
  return hash.digest();
}

/** One event of a stream as the verifier sees it; hashes are hex, as stored. */
export interface ChainLink {
  readonly content: HashedContent;
  /** Undefined for an event appended before the store kept hashes (it has no link to check). */
  readonly storedHash?: string;
  readonly storedPrevHash?: string | null;
  /** The event's formatted global position. */
  readonly position: string;
}

export interface ChainWalk {
  readonly verification: StreamVerification;
  /** The hash the next event must link to: the last event's stored hash, else its recomputed one. */
  readonly lastHash: Buffer | null;
  /**
   * The hash each link stands for, in order: its stored hash, else (an event appended before
   * the store kept hashes) the one recomputed from its content and the hash before it.
   */
  readonly hashes: readonly Buffer[];
}

/**
 * Walks a stream's links in version order. An event is `chain-broken` when its stored prev hash
 * is not its predecessor's hash, else `hash-mismatch` when its content does not hash to its
 * stored hash. Up to the first broken link every stored hash equals the recomputed one, so
 * comparing with either names the same first event.
 */
export function walkChain(streamId: string, links: Iterable<ChainLink>): ChainWalk {
  let count = 0;
  let prev: Buffer | null = null;
  let firstBroken: BrokenLink | undefined;
  const hashes: Buffer[] = [];
  for (const link of links) {
    count += 1;
    const recomputed = eventHash(prev, link.content);
    if (link.storedHash !== undefined && !firstBroken) {
      const reason =
        (link.storedPrevHash ?? null) !== (prev ? prev.toString('hex') : null)
          ? 'chain-broken'
          : link.storedHash !== recomputed.toString('hex')
            ? 'hash-mismatch'
            : undefined;
      if (reason) {
        firstBroken = {
          streamId,
          streamVersion: link.content.streamVersion,
          eventId: link.content.eventId,
          position: link.position,
          reason,
        };
      }
    }
    prev = link.storedHash !== undefined ? Buffer.from(link.storedHash, 'hex') : recomputed;
    hashes.push(prev);
  }
  return {
    verification: firstBroken
      ? { valid: false, events: count, firstBroken }
      : { valid: true, events: count },
    lastHash: prev,
    hashes,
  };
}
