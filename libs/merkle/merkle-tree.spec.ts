import { describe, expect, it } from '@jest/globals';
import { emptyRoot, leafHash, nodeHash } from './merkle-hash.js';
import { consistencyProof, inclusionProof, rootOf } from './merkle-tree.js';
import { hex } from './testing/merkle-arbitraries.js';
import {
  CONSISTENCY_PROOFS,
  INCLUSION_PROOFS,
  LEAF_INPUTS_HEX,
  NODE_HASHES,
  ROOT_HASHES,
} from './testing/rfc6962-vectors.js';

const leaves = LEAF_INPUTS_HEX.map((input) => leafHash(Buffer.from(input, 'hex')));

describe('the RFC 6962 hashes', () => {
  it('hash the test leaves with the 0x00 prefix and pairs with 0x01', () => {
    expect(hex(leaves)).toEqual(NODE_HASHES[0]);
    const pairs = (level: readonly string[]) =>
      level
        .filter((_, i) => i % 2 === 0)
        .map((left, i) =>
          nodeHash(Buffer.from(left, 'hex'), Buffer.from(level[2 * i + 1], 'hex')).toString('hex'),
        );
    expect(pairs(NODE_HASHES[0])).toEqual(NODE_HASHES[1]);
    expect(pairs(NODE_HASHES[1])).toEqual(NODE_HASHES[2]);
    expect(pairs(NODE_HASHES[2])).toEqual(NODE_HASHES[3]);
  });

  it('hash a string as its UTF-8 bytes', () => {
    expect(leafHash('één')).toEqual(leafHash(Buffer.from('één', 'utf8')));
  });

  it('give the empty tree the hash of the empty string', () => {
    expect(emptyRoot().toString('hex')).toBe(ROOT_HASHES[0]);
  });
});

describe('the reference tree', () => {
  it('has the known root for every size from 0 to 8', () => {
    expect(ROOT_HASHES.map((_, n) => rootOf(leaves.slice(0, n)).toString('hex'))).toEqual(
      ROOT_HASHES,
    );
  });

  it('gives the known inclusion proofs', () => {
    for (const { index, size, proof } of INCLUSION_PROOFS) {
      expect(hex(inclusionProof(leaves, index, size))).toEqual(proof);
    }
  });

  it('gives the known consistency proofs, and none from the empty tree', () => {
    for (const { oldSize, newSize, proof } of CONSISTENCY_PROOFS) {
      expect(hex(consistencyProof(leaves, oldSize, newSize))).toEqual(proof);
    }
    expect(consistencyProof(leaves, 0, 8)).toEqual([]);
  });

  it('refuses proofs that cannot exist', () => {
    expect(() => inclusionProof(leaves, 3, 3)).toThrow(RangeError);
    expect(() => inclusionProof(leaves, 0, 9)).toThrow(RangeError);
    expect(() => inclusionProof(leaves, -1, 3)).toThrow(RangeError);
    expect(() => consistencyProof(leaves, 5, 4)).toThrow(RangeError);
    expect(() => consistencyProof(leaves, 1, 9)).toThrow(RangeError);
  });
});
