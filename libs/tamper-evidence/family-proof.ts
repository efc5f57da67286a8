import type { HashedEvent } from '../event-store/event-store.port.js';
import type { HashedContent } from '../event-store/hash-chain.js';
import { formatPosition } from '../event-store/position.js';
import type { SinkSeal } from './seal-sink.js';

/**
 * The proof an auditor gets for one family (`GET /audit/families/{familyId}/proof?sealId=`):
 * the family's events, each with the texts its chain hash covers and its RFC 9162 inclusion
 * proof against one seal. An outsider checks it offline with scripts/verify-family-proof.mjs
 * (nothing but Node's crypto): the seal's signature, each event's chain hash recomputed from its
 * content, its leaf's inclusion in the sealed tree, and the links within each stream. The
 * format is documented in libs/tamper-evidence/README.md ("A family's proof").
 *
 * ```json
 * {
 *   "familyId": "...",
 *   "seal": { "sealId", "size", "root", "sealedAt", "keyId", "signature", "statement" },
 *   "events": [
 *     {
 *       "leaf": 12,
 *       "position": "123-4",
 *       "content": { "eventId", "streamId", "streamVersion", "type", "schemaVersion",
 *                    "dataJson", "metadataJson", "recordedAt" },
 *       "prevHash": "hex or null",
 *       "hash": "hex",
 *       "proof": ["hex", ...]
 *     }
 *   ]
 * }
 * ```
 */
export interface FamilyProofJSON {
  readonly familyId: string;
  readonly seal: SealJSON;
  readonly events: readonly ProvenEventJSON[];
}

/** The seal as the sink keeps it: exactly those fields (familyProof copies them one by one). */
export type SealJSON = SinkSeal;

export interface ProvenEventJSON {
  /** The event's leaf index in the Merkle tree (its place in the global order). */
  readonly leaf: number;
  /** The event's global position, "<commit>-<prepare>". */
  readonly position: string;
  /** The eight fields the chain hash covers, as hashed (libs/event-store/hash-chain.ts). */
  readonly content: HashedContent;
  /** 64 lowercase hex digits, or null for a stream's first event. */
  readonly prevHash: string | null;
  /** The stored chain hash, 64 lowercase hex digits; the leaf is SHA-256(0x00 || hash). */
  readonly hash: string;
  /** The RFC 9162 inclusion proof of the leaf in the sealed tree, each 64 lowercase hex digits. */
  readonly proof: readonly string[];
}

export interface ProvenEvent {
  readonly leaf: number;
  readonly position: HashedEvent['position'];
  readonly hashed: HashedEvent;
  readonly proof: readonly Uint8Array[];
}

export interface FamilyProofInput {
  readonly familyId: string;
  readonly seal: SinkSeal;
  /** In the order the proof lists them (by stream, then version, is what the server sends). */
  readonly events: readonly ProvenEvent[];
}

/** The proof's JSON, exactly the shape above (and nothing else: no field of the input leaks). */
export function familyProof({ familyId, seal, events }: FamilyProofInput): FamilyProofJSON {
  return {
    familyId,
    seal: {
      sealId: seal.sealId,
      size: seal.size,
      root: seal.root,
      sealedAt: seal.sealedAt,
      keyId: seal.keyId,
      signature: seal.signature,
      statement: seal.statement,
    },
    events: events.map(({ leaf, position, hashed, proof }) => {
      const { content } = hashed;
      return {
        leaf,
        position: formatPosition(position),
        content: {
          eventId: content.eventId,
          streamId: content.streamId,
          streamVersion: content.streamVersion,
          type: content.type,
          schemaVersion: content.schemaVersion,
          dataJson: content.dataJson,
          metadataJson: content.metadataJson,
          recordedAt: content.recordedAt,
        },
        prevHash: hashed.prevHash ? hex(hashed.prevHash) : null,
        hash: hex(hashed.hash),
        proof: proof.map(hex),
      };
    }),
  };
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}
