import { createHash } from 'node:crypto';

/**
 * The hashes of RFC 6962 §2.1 (RFC 9162 §2.1.1) over SHA-256. Leaves and interior nodes get
 * different one-byte prefixes so that no leaf can be passed off as an interior node: without
 * them, a tree over the two leaves a and b would have the same root as a one-leaf tree whose
 * leaf is the 64 bytes a || b (a second-preimage attack on the tree).
 */
export const HASH_SIZE = 32;

const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);

/** SHA-256(0x00 || data). A string is hashed as its UTF-8 bytes. */
export function leafHash(data: Uint8Array | string): Buffer {
  return createHash('sha256').update(LEAF_PREFIX).update(data).digest();
}

/** SHA-256(0x01 || left || right). */
export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  return createHash('sha256').update(NODE_PREFIX).update(left).update(right).digest();
}

/** The root of the tree with no leaves: SHA-256 of the empty string, without a prefix. */
export function emptyRoot(): Buffer {
  return createHash('sha256').digest();
}
