import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  type Frontier,
  appendLeaf,
  emptyFrontier,
  frontierFromJSON,
  frontierFromNodes,
  frontierRoot,
  frontierToJSON,
} from './merkle-frontier.js';
import { leafHash } from './merkle-hash.js';
import { type MerkleNode, lookupFrom } from './merkle-nodes.js';
import { rootOf } from './merkle-tree.js';
import { hex, leafHashes } from './testing/merkle-arbitraries.js';
import { LEAF_INPUTS_HEX, NODE_HASHES, ROOT_HASHES } from './testing/rfc6962-vectors.js';

const leaves = LEAF_INPUTS_HEX.map((input) => leafHash(Buffer.from(input, 'hex')));

function build(tree: readonly Buffer[]): { frontier: Frontier; nodes: MerkleNode[] } {
  let frontier = emptyFrontier();
  const nodes: MerkleNode[] = [];
  for (const leaf of tree) {
    const appended = appendLeaf(frontier, leaf);
    frontier = appended.frontier;
    nodes.push(...appended.completed);
  }
  return { frontier, nodes };
}

describe('the frontier', () => {
  it('has the known root after every append of the test leaves', () => {
    const roots = [frontierRoot(emptyFrontier())];
    let frontier = emptyFrontier();
    for (const leaf of leaves) {
      frontier = appendLeaf(frontier, leaf).frontier;
      roots.push(frontierRoot(frontier));
    }
    expect(hex(roots)).toEqual(ROOT_HASHES);
  });

  it('keeps one subtree per set bit of its size: for 7 leaves, 4 + 2 + 1', () => {
    const { frontier } = build(leaves.slice(0, 7));
    expect(hex(frontier.hashes)).toEqual([NODE_HASHES[2][0], NODE_HASHES[1][2], NODE_HASHES[0][6]]);
  });

  it('reports every complete subtree once, when its last leaf arrives', () => {
    const { nodes } = build(leaves);
    expect(nodes.map(({ level, index }) => [level, index])).toEqual([
      [0, 0],
      [0, 1],
      [1, 0],
      [0, 2],
      [0, 3],
      [1, 1],
      [2, 0],
      [0, 4],
      [0, 5],
      [1, 2],
      [0, 6],
      [0, 7],
      [1, 3],
      [2, 1],
      [3, 0],
    ]);
    for (const { level, index, hash } of nodes) {
      expect(hash.toString('hex')).toBe(NODE_HASHES[level][index]);
    }
  });

  it('leaves the frontier it appended to unchanged', () => {
    const { frontier } = build(leaves.slice(0, 3));
    const before = frontierToJSON(frontier);
    appendLeaf(frontier, leaves[3]);
    expect(frontierToJSON(frontier)).toEqual(before);
  });

  it('has the root of the reference tree and survives a restart through JSON, for random leaves', () => {
    fc.assert(
      fc.property(leafHashes(100), fc.nat(), (tree, at) => {
        const restartAt = at % (tree.length + 1);
        const first = build(tree.slice(0, restartAt));
        const stored = JSON.parse(JSON.stringify(frontierToJSON(first.frontier)));
        let frontier = frontierFromJSON(stored);
        for (const leaf of tree.slice(restartAt)) frontier = appendLeaf(frontier, leaf).frontier;
        expect(frontier.size).toBe(tree.length);
        expect(frontierRoot(frontier).equals(rootOf(tree))).toBe(true);
        expect(frontierToJSON(frontier)).toEqual(frontierToJSON(build(tree).frontier));
      }),
      { numRuns: 200 },
    );
  });

  it('can be rebuilt from the stored nodes for any earlier size', () => {
    fc.assert(
      fc.property(leafHashes(100), fc.nat(), (tree, at) => {
        const size = at % (tree.length + 1);
        const node = lookupFrom(build(tree).nodes);
        expect(frontierToJSON(frontierFromNodes(size, node))).toEqual(
          frontierToJSON(build(tree.slice(0, size)).frontier),
        );
      }),
      { numRuns: 100 },
    );
  });

  it('refuses a persisted frontier that cannot be one', () => {
    const json = frontierToJSON(build(leaves.slice(0, 6)).frontier);
    expect(frontierFromJSON(json).size).toBe(6);
    for (const wrong of [
      { ...json, size: 7 },
      { ...json, size: -1 },
      { ...json, size: 6.5 },
      { ...json, hashes: json.hashes.slice(1) },
      { ...json, hashes: [json.hashes[0], json.hashes[1].slice(2)] },
      { ...json, hashes: [json.hashes[0], json.hashes[1].toUpperCase()] },
      { size: 6, hashes: 'abc' as unknown as string[] },
    ]) {
      expect(() => frontierFromJSON(wrong)).toThrow();
    }
  });

  it('refuses a leaf hash that is not 32 bytes', () => {
    expect(() => appendLeaf(emptyFrontier(), Buffer.alloc(31))).toThrow(RangeError);
  });
});
