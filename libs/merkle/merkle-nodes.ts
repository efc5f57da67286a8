import { emptyRoot, nodeHash } from './merkle-hash.js';
import { splitPoint } from './merkle-tree.js';

/**
 * Roots and proofs for any tree size from stored complete subtrees, fetching O(log n) of them.
 *
 * A node at level L, index i is the root of the complete subtree over leaves [i·2^L, (i+1)·2^L);
 * level 0 holds the leaf hashes. Such a node never changes once its last leaf is appended, so
 * every node the frontier reports can be stored once and serves every later tree size. Every
 * hash in an RFC 6962 proof is the root of a range of leaves whose start is aligned to the
 * range's size rounded up to a power of two, so it is the right fold of at most log2 n stored
 * nodes, one per set bit of the range's length.
 *
 * Why a plan and then a lookup, and not an async `node(level, index)` callback: the nodes a
 * proof needs depend only on the sizes and the index, never on hash values, so they can all be
 * named up front. A caller fetches them in one query (`WHERE (level, index) IN (...)`) instead
 * of one round trip per node, and the computation stays synchronous and pure: no promise, no
 * database in the tests. The `*FromNodes` functions do both steps for a lookup that is already
 * at hand (a Map, or the in-memory tree in the tests).
 */

export interface NodeRef {
  readonly level: number;
  readonly index: number;
}

export interface MerkleNode extends NodeRef {
  readonly hash: Buffer;
}

export type NodeLookup = (level: number, index: number) => Buffer;

/** Each hash of a proof, as the stored nodes whose right fold it is. */
export type ProofPlan = readonly (readonly NodeRef[])[];

/** The nodes whose right fold is the root of the tree of `size` (none for the empty tree). */
export function rootPlan(size: number): readonly NodeRef[] {
  checkCount(size, 'size');
  return size === 0 ? [] : rangeNodes(0, size);
}

/** The plan of PATH(index, D[size]), RFC 6962 §2.1.1. */
export function inclusionPlan(index: number, size: number): ProofPlan {
  checkCount(size, 'size');
  checkCount(index, 'index');
  if (index >= size) throw new RangeError(`No leaf ${index} in a tree of ${size}`);
  const plan: (readonly NodeRef[])[] = [];
  // The RFC's recursion appends on the way back up, so walk down and reverse.
  let [m, start, n] = [index, 0, size];
  while (n > 1) {
    const k = splitPoint(n);
    if (m < k) {
      plan.push(rangeNodes(start + k, n - k));
      n = k;
    } else {
      plan.push(rangeNodes(start, k));
      [m, start, n] = [m - k, start + k, n - k];
    }
  }
  return plan.reverse();
}

/** The plan of PROOF(oldSize, D[newSize]), RFC 6962 §2.1.2; empty from the empty tree. */
export function consistencyPlan(oldSize: number, newSize: number): ProofPlan {
  checkCount(oldSize, 'oldSize');
  checkCount(newSize, 'newSize');
  if (oldSize > newSize) throw new RangeError(`No consistency proof from ${oldSize} to ${newSize}`);
  if (oldSize === 0) return [];
  const plan: (readonly NodeRef[])[] = [];
  let [m, start, n, complete] = [oldSize, 0, newSize, true];
  while (m !== n) {
    const k = splitPoint(n);
    if (m <= k) {
      plan.push(rangeNodes(start + k, n - k));
      n = k;
    } else {
      plan.push(rangeNodes(start, k));
      [m, start, n, complete] = [m - k, start + k, n - k, false];
    }
  }
  if (!complete) plan.push(rangeNodes(start, n));
  return plan.reverse();
}

/**
 * Every node a plan reads, once each: what to fetch. To fetch a root with a proof in the same
 * query, pass both: `nodesOf([...inclusionPlan(i, n), rootPlan(n)])`.
 */
export function nodesOf(plan: ProofPlan): readonly NodeRef[] {
  const nodes = new Map<string, NodeRef>();
  for (const ref of plan.flat()) nodes.set(nodeKey(ref), ref);
  return [...nodes.values()];
}

/**
 * The hash of a plan's entry (rootPlan's nodes, or one entry of a proof plan): folded from the
 * right, because MTH splits off the largest complete subtree on the left and recurses right.
 */
export function foldNodes(nodes: readonly NodeRef[], node: NodeLookup): Buffer {
  if (nodes.length === 0) return emptyRoot();
  const last = nodes[nodes.length - 1];
  let hash = node(last.level, last.index);
  for (const { level, index } of nodes.slice(0, -1).reverse()) {
    hash = nodeHash(node(level, index), hash);
  }
  return hash;
}

export function resolvePlan(plan: ProofPlan, node: NodeLookup): Buffer[] {
  return plan.map((entry) => foldNodes(entry, node));
}

/** A lookup over fetched nodes that fails loudly on a node that was not fetched. */
export function lookupFrom(nodes: Iterable<MerkleNode>): NodeLookup {
  const byKey = new Map<string, Buffer>();
  for (const n of nodes) byKey.set(nodeKey(n), n.hash);
  return (level, index) => {
    const hash = byKey.get(nodeKey({ level, index }));
    if (!hash) throw new Error(`Merkle node at level ${level}, index ${index} is missing`);
    return hash;
  };
}

export function rootFromNodes(size: number, node: NodeLookup): Buffer {
  return foldNodes(rootPlan(size), node);
}

export function inclusionProofFromNodes(index: number, size: number, node: NodeLookup): Buffer[] {
  return resolvePlan(inclusionPlan(index, size), node);
}

export function consistencyProofFromNodes(
  oldSize: number,
  newSize: number,
  node: NodeLookup,
): Buffer[] {
  return resolvePlan(consistencyPlan(oldSize, newSize), node);
}

export function nodeKey({ level, index }: NodeRef): string {
  return `${level}:${index}`;
}

/** The complete subtrees covering leaves [start, start + n), largest (leftmost) first. */
function rangeNodes(start: number, n: number): NodeRef[] {
  const nodes: NodeRef[] = [];
  let pos = start;
  for (let level = highestLevel(n); level >= 0; level--) {
    const width = 2 ** level;
    if (pos + width <= start + n) {
      nodes.push({ level, index: pos / width });
      pos += width;
    }
  }
  return nodes;
}

function checkCount(n: number, name: string): void {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`${name} ${n} is not a count`);
}

/** The level of the largest complete subtree that fits in n leaves: floor(log2 n), exactly. */
function highestLevel(n: number): number {
  let level = 0;
  while (2 ** (level + 1) <= n) level++;
  return level;
}
