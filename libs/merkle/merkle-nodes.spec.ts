import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { appendLeaf, emptyFrontier } from './merkle-frontier.js';
import { leafHash, nodeHash } from './merkle-hash.js';
import {
  type MerkleNode,
  type NodeLookup,
  consistencyPlan,
  consistencyProofFromNodes,
  inclusionPlan,
  inclusionProofFromNodes,
  lookupFrom,
  nodeKey,
  nodesOf,
  resolvePlan,
  rootFromNodes,
  rootPlan,
} from './merkle-nodes.js';
import { consistencyProof, inclusionProof, rootOf } from './merkle-tree.js';
import { verifyConsistency, verifyInclusion } from './merkle-verify.js';
import { hex, leafHashes } from './testing/merkle-arbitraries.js';
import {
  CONSISTENCY_PROOFS,
  INCLUSION_PROOFS,
  NODE_HASHES,
  ROOT_HASHES,
} from './testing/rfc6962-vectors.js';

/** The stored nodes of the 8 test leaves, straight from the vectors. */
const vectorNodes: NodeLookup = (level, index) => Buffer.from(NODE_HASHES[level][index], 'hex');

function storedNodes(tree: readonly Buffer[]): MerkleNode[] {
  let frontier = emptyFrontier();
  const nodes: MerkleNode[] = [];
  for (const leaf of tree) {
    const appended = appendLeaf(frontier, leaf);
    frontier = appended.frontier;
    nodes.push(...appended.completed);
  }
  return nodes;
}

/** A lookup that records what it was asked for, to check that a plan names every node. */
function recording(node: NodeLookup): { node: NodeLookup; asked: Set<string> } {
  const asked = new Set<string>();
  return {
    asked,
    node: (level, index) => {
      asked.add(nodeKey({ level, index }));
      return node(level, index);
    },
  };
}

describe('roots and proofs from stored nodes', () => {
  it('give the known roots and proofs of the test vectors', () => {
    expect(ROOT_HASHES.map((_, n) => rootFromNodes(n, vectorNodes).toString('hex'))).toEqual(
      ROOT_HASHES,
    );
    for (const { index, size, proof } of INCLUSION_PROOFS) {
      expect(hex(inclusionProofFromNodes(index, size, vectorNodes))).toEqual(proof);
    }
    for (const { oldSize, newSize, proof } of CONSISTENCY_PROOFS) {
      expect(hex(consistencyProofFromNodes(oldSize, newSize, vectorNodes))).toEqual(proof);
    }
  });

  it('plan a proof as the complete subtrees of each of its hashes', () => {
    // Leaf 1 of 5: leaf 0, the pair (2, 3), and leaf 4 on its own.
    expect(inclusionPlan(1, 5)).toEqual([
      [{ level: 0, index: 0 }],
      [{ level: 1, index: 1 }],
      [{ level: 0, index: 4 }],
    ]);
    // Leaf 0 of 7: the right half, leaves 4 to 6, is not complete and takes two nodes.
    expect(inclusionPlan(0, 7).at(-1)).toEqual([
      { level: 1, index: 2 },
      { level: 0, index: 6 },
    ]);
    expect(rootPlan(0)).toEqual([]);
    expect(consistencyPlan(0, 7)).toEqual([]);
  });

  it('refuse sizes and indexes that have no proof', () => {
    expect(() => inclusionPlan(5, 5)).toThrow(RangeError);
    expect(() => inclusionPlan(-1, 5)).toThrow(RangeError);
    expect(() => consistencyPlan(6, 5)).toThrow(RangeError);
    expect(() => rootPlan(Number.NaN)).toThrow(RangeError);
    expect(() => lookupFrom([])(0, 0)).toThrow(/level 0, index 0 is missing/);
  });

  it('equal the reference tree for random trees, read only the planned nodes, and verify', () => {
    const cases = leafHashes(100).chain((tree) =>
      fc.record({
        tree: fc.constant(tree),
        size: fc.integer({ min: 1, max: tree.length }),
        a: fc.nat(),
        b: fc.nat(),
      }),
    );
    fc.assert(
      fc.property(cases, ({ tree, size, a, b }) => {
        // The nodes table holds the whole log; the tree asked about may be an older one.
        const { node, asked } = recording(lookupFrom(storedNodes(tree)));
        const index = a % size;
        const oldSize = b % (size + 1);
        const prefix = tree.slice(0, size);

        const plan = [...inclusionPlan(index, size), rootPlan(size)];
        const wanted = nodesOf(plan);
        const fetched = lookupFrom(
          wanted.map((ref) => ({ ...ref, hash: node(ref.level, ref.index) })),
        );
        const [root, ...proof] = [
          rootFromNodes(size, fetched),
          ...resolvePlan(inclusionPlan(index, size), fetched),
        ];
        expect(asked.size).toBe(wanted.length);
        // O(log n): at most two nodes per level of the tree.
        expect(wanted.length).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(size) + 1));

        expect(root.equals(rootOf(prefix))).toBe(true);
        expect(hex(proof)).toEqual(hex(inclusionProof(prefix, index, size)));
        expect(verifyInclusion({ leafHash: tree[index], index, size, proof, root })).toBe(true);

        const consistency = consistencyProofFromNodes(oldSize, size, node);
        expect(hex(consistency)).toEqual(hex(consistencyProof(prefix, oldSize, size)));
        expect(
          verifyConsistency({
            oldSize,
            newSize: size,
            oldRoot: rootFromNodes(oldSize, node),
            newRoot: root,
            proof: consistency,
          }),
        ).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('work for sizes beyond 32 bits, where bitwise operators would truncate', () => {
    // A log of 2^40 equal leaves: every node of a level has the same hash, so the nodes are
    // consistent with each other without hashing 2^40 leaves.
    const levels = [leafHash('same')];
    for (let level = 1; level <= 41; level++)
      levels.push(nodeHash(levels[level - 1], levels[level - 1]));
    const name: NodeLookup = (level) => levels[level];
    const size = 2 ** 40 + 5;
    const index = 2 ** 40 + 3;
    const plan = inclusionPlan(index, size);
    expect(plan[0]).toEqual([{ level: 0, index: 2 ** 40 + 2 }]);
    expect(plan.at(-1)).toEqual([{ level: 40, index: 0 }]);
    const leaf = name(0, index);
    const proof = resolvePlan(plan, name);
    expect(
      verifyInclusion({ leafHash: leaf, index, size, proof, root: rootFromNodes(size, name) }),
    ).toBe(true);
    expect(
      verifyConsistency({
        oldSize: 2 ** 33 + 1,
        newSize: size,
        oldRoot: rootFromNodes(2 ** 33 + 1, name),
        newRoot: rootFromNodes(size, name),
        proof: consistencyProofFromNodes(2 ** 33 + 1, size, name),
      }),
    ).toBe(true);
  });
});
