import fc from 'fast-check';
import { leafHash } from '../merkle-hash.js';

/**
 * Leaf hashes of a random list of distinct entries, 1 to `max` long. Distinct, because with two
 * equal neighbours a proof for one is rightly a proof for the other.
 */
export function leafHashes(max = 70): fc.Arbitrary<Buffer[]> {
  return fc
    .uniqueArray(fc.uint8Array({ maxLength: 12 }), {
      minLength: 1,
      maxLength: max,
      selector: (entry) => Buffer.from(entry).toString('hex'),
    })
    .map((entries) => entries.map((entry) => leafHash(entry)));
}

export function fromHex(hashes: readonly string[]): Buffer[] {
  return hashes.map((hash) => Buffer.from(hash, 'hex'));
}

export function hex(hashes: readonly Buffer[]): string[] {
  return hashes.map((hash) => hash.toString('hex'));
}
