import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { emptyRoot, leafHash } from './merkle-hash.js';
import { consistencyProof, inclusionProof, rootOf } from './merkle-tree.js';
import { verifyConsistency, verifyInclusion } from './merkle-verify.js';
import { fromHex, leafHashes } from './testing/merkle-arbitraries.js';
import {
  CONSISTENCY_PROOFS,
  INCLUSION_PROOFS,
  LEAF_INPUTS_HEX,
  ROOT_HASHES,
} from './testing/rfc6962-vectors.js';

const leaves = LEAF_INPUTS_HEX.map((input) => leafHash(Buffer.from(input, 'hex')));
const roots = fromHex(ROOT_HASHES);
const someHash = Buffer.from('abacaba0'.repeat(8), 'hex');

const flipped = (proof: readonly Buffer[], i: number): Buffer[] =>
  proof.map((hash, j) => (j === i ? Buffer.from(hash.map((b, k) => (k === 0 ? b ^ 8 : b))) : hash));

describe('verifyInclusion', () => {
  it('accepts the known proofs and every corruption of them fails', () => {
    for (const vector of INCLUSION_PROOFS) {
      const claim = {
        leafHash: leaves[vector.index],
        index: vector.index,
        size: vector.size,
        proof: fromHex(vector.proof),
        root: roots[vector.size],
      };
      expect(verifyInclusion(claim)).toBe(true);
      const { index, size, proof, root } = claim;
      const wrong = [
        { ...claim, index: index - 1 },
        { ...claim, index: index + 1 },
        { ...claim, index: index ^ 2 },
        { ...claim, size: size * 2 },
        { ...claim, size: Math.floor(size / 2) },
        { ...claim, leafHash: leafHash('wrong leaf') },
        { ...claim, root: emptyRoot() },
        { ...claim, root: someHash },
        { ...claim, proof: [...proof, root] },
        { ...claim, proof: [root, ...proof] },
        { ...claim, proof: [...proof, Buffer.alloc(0)] },
        ...proof.map((_, i) => ({ ...claim, proof: flipped(proof, i) })),
        ...(proof.length > 0 ? [{ ...claim, proof: proof.slice(0, -1) }] : []),
        ...(proof.length > 1 ? [{ ...claim, proof: [proof[0], someHash, ...proof.slice(1)] }] : []),
      ];
      for (const probe of wrong) expect(verifyInclusion(probe)).toBe(false);
    }
  });

  it('returns false, without throwing, for claims that cannot be proofs', () => {
    const hash = leaves[0];
    const claim = { leafHash: hash, index: 0, size: 1, proof: [], root: hash };
    expect(verifyInclusion(claim)).toBe(true);
    for (const probe of [
      { ...claim, size: 0 },
      { ...claim, index: 1 },
      { ...claim, index: -1 },
      { ...claim, index: 0.5 },
      { ...claim, size: Number.NaN },
      { ...claim, size: 2 ** 60 },
      { ...claim, leafHash: Buffer.alloc(0), root: Buffer.alloc(0) },
      { ...claim, leafHash: hash.subarray(0, 31), root: hash.subarray(0, 31) },
      { ...claim, size: 2, proof: [hash.subarray(1)] },
      { ...claim, proof: null as unknown as Buffer[] },
      { ...claim, proof: ['ab'] as unknown as Buffer[] },
    ]) {
      expect(verifyInclusion(probe)).toBe(false);
    }
  });
});

describe('verifyConsistency', () => {
  it('accepts the known proofs and every corruption of them fails', () => {
    for (const vector of CONSISTENCY_PROOFS) {
      const claim = {
        oldSize: vector.oldSize,
        newSize: vector.newSize,
        oldRoot: roots[vector.oldSize],
        newRoot: roots[vector.newSize],
        proof: fromHex(vector.proof),
      };
      expect(verifyConsistency(claim)).toBe(true);
      const { oldSize, newSize, oldRoot, newRoot, proof } = claim;
      if (proof.length === 0) continue;
      const wrong = [
        { ...claim, oldSize: oldSize - 1 },
        { ...claim, oldSize: oldSize + 1 },
        { ...claim, oldSize: oldSize ^ 2 },
        { ...claim, newSize: newSize * 2 },
        { ...claim, newSize: Math.floor(newSize / 2) },
        { ...claim, oldRoot: someHash },
        { ...claim, newRoot: someHash },
        { ...claim, oldRoot: newRoot, newRoot: oldRoot },
        { ...claim, proof: [] },
        { ...claim, proof: [...proof, oldRoot] },
        { ...claim, proof: [...proof, newRoot] },
        { ...claim, proof: [oldRoot, ...proof] },
        { ...claim, proof: [newRoot, ...proof] },
        { ...claim, proof: [proof[0], ...proof] },
        { ...claim, proof: proof.slice(0, -1) },
        ...proof.map((_, i) => ({ ...claim, proof: flipped(proof, i) })),
      ];
      for (const probe of wrong) expect(verifyConsistency(probe)).toBe(false);
    }
  });

  it('takes the empty tree and equal sizes as consistent only with an empty proof', () => {
    const claim = { oldSize: 0, newSize: 8, oldRoot: roots[0], newRoot: roots[8], proof: [] };
    expect(verifyConsistency(claim)).toBe(true);
    expect(verifyConsistency({ ...claim, newSize: 0, newRoot: roots[0] })).toBe(true);
    expect(verifyConsistency({ ...claim, proof: [roots[0]] })).toBe(false);
    const same = { oldSize: 5, newSize: 5, oldRoot: roots[5], newRoot: roots[5], proof: [] };
    expect(verifyConsistency(same)).toBe(true);
    expect(verifyConsistency({ ...same, newRoot: roots[4] })).toBe(false);
    expect(verifyConsistency({ ...same, proof: [roots[5]] })).toBe(false);
  });

  it('returns false, without throwing, for claims that cannot be proofs', () => {
    const claim = { oldSize: 2, newSize: 5, oldRoot: roots[2], newRoot: roots[5] };
    const proof = fromHex(CONSISTENCY_PROOFS[3].proof);
    expect(verifyConsistency({ ...claim, proof })).toBe(true);
    for (const probe of [
      { ...claim, oldSize: 6, proof },
      { ...claim, oldSize: -2, proof },
      { ...claim, newSize: 5.5, proof },
      { ...claim, newSize: Number.POSITIVE_INFINITY, proof },
      { ...claim, oldRoot: roots[2].subarray(1), proof },
      { ...claim, proof: [proof[0].subarray(0, 16), proof[1]] },
      { ...claim, proof: undefined as unknown as Buffer[] },
    ]) {
      expect(verifyConsistency(probe)).toBe(false);
    }
  });
});

describe('proofs from the reference tree', () => {
  const treeAndLeaf = leafHashes().chain((tree) =>
    fc.record({ tree: fc.constant(tree), index: fc.nat({ max: tree.length - 1 }) }),
  );
  const claimFor = (tree: readonly Buffer[], index: number) => ({
    leafHash: tree[index],
    index,
    size: tree.length,
    proof: inclusionProof(tree, index, tree.length),
    root: rootOf(tree),
  });

  it('verify for every leaf of random trees', () => {
    fc.assert(
      fc.property(treeAndLeaf, ({ tree, index }) => verifyInclusion(claimFor(tree, index))),
      { numRuns: 200 },
    );
  });

  it('fail for a changed leaf, a wrong index, swapped leaves and a truncated tree', () => {
    fc.assert(
      fc.property(treeAndLeaf, fc.uint8Array({ minLength: 13 }), ({ tree, index }, other) => {
        const claim = claimFor(tree, index);
        const changed = leafHash(other);
        expect(verifyInclusion({ ...claim, leafHash: changed })).toBe(false);
        for (const wrongIndex of [index - 1, index + 1, tree.length]) {
          expect(verifyInclusion({ ...claim, index: wrongIndex })).toBe(false);
        }
        if (tree.length > 1) {
          // The neighbour in the proof's bottom pair, or the last leaf's left neighbour.
          const j = index % 2 === 0 && index + 1 < tree.length ? index + 1 : index - 1;
          const swapped = [...tree];
          [swapped[index], swapped[j]] = [swapped[j], swapped[index]];
          if (!swapped[index].equals(tree[index])) {
            expect(verifyInclusion({ ...claim, root: rootOf(swapped) })).toBe(false);
            expect(verifyInclusion({ ...claimFor(swapped, index), leafHash: tree[index] })).toBe(
              false,
            );
          }
        }
        if (index < tree.length - 1) {
          // Not the size alone: it only shapes the path, and sizes n - 1 and n often share a
          // shape. What binds the size is the signed root it comes with.
          const truncatedRoot = rootOf(tree.slice(0, -1));
          expect(verifyInclusion({ ...claim, root: truncatedRoot })).toBe(false);
          expect(verifyInclusion({ ...claim, size: tree.length - 1, root: truncatedRoot })).toBe(
            false,
          );
        }
      }),
      { numRuns: 200 },
    );
  });

  const treeAndSizes = leafHashes().chain((tree) =>
    fc
      .tuple(fc.nat({ max: tree.length }), fc.nat({ max: tree.length }))
      .map(([a, b]) => ({ tree, oldSize: Math.min(a, b), newSize: Math.max(a, b) })),
  );

  it('verify consistency between random sizes m <= n', () => {
    fc.assert(
      fc.property(treeAndSizes, ({ tree, oldSize, newSize }) =>
        verifyConsistency({
          oldSize,
          newSize,
          oldRoot: rootOf(tree.slice(0, oldSize)),
          newRoot: rootOf(tree.slice(0, newSize)),
          proof: consistencyProof(tree, oldSize, newSize),
        }),
      ),
      { numRuns: 200 },
    );
  });

  it('fail consistency against a tree with a changed early leaf', () => {
    fc.assert(
      fc.property(
        treeAndSizes.filter(({ oldSize, newSize }) => oldSize > 0 && oldSize < newSize),
        fc.nat(),
        fc.uint8Array({ minLength: 13 }),
        ({ tree, oldSize, newSize }, at, other) => {
          const rewritten = tree.map((leaf, i) => (i === at % oldSize ? leafHash(other) : leaf));
          const claim = {
            oldSize,
            newSize,
            oldRoot: rootOf(tree.slice(0, oldSize)),
            newRoot: rootOf(tree.slice(0, newSize)),
            proof: consistencyProof(tree, oldSize, newSize),
          };
          // A log that rewrote an early leaf can prove its new tree neither with the old
          // proof nor with one made from the rewritten leaves.
          expect(
            verifyConsistency({ ...claim, newRoot: rootOf(rewritten.slice(0, newSize)) }),
          ).toBe(false);
          expect(
            verifyConsistency({
              ...claim,
              newRoot: rootOf(rewritten.slice(0, newSize)),
              proof: consistencyProof(rewritten, oldSize, newSize),
            }),
          ).toBe(false);
        },
      ),
      { numRuns: 200 },
    );
  });
});
