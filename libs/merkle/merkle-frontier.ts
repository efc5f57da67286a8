import { HASH_SIZE, emptyRoot, nodeHash } from './merkle-hash.js';
import { type MerkleNode, type NodeLookup, rootPlan } from './merkle-nodes.js';

/**
 * The right edge of a growing tree: the roots of its largest complete subtrees, one per set bit
 * of its size, largest (leftmost) first. That is all an append needs, so a log of n leaves keeps
 * at most log2 n hashes in memory and never rereads a leaf (the "compact range" of
 * transparency-dev/merkle, from 0 to n).
 *
 * A frontier is an immutable value: appendLeaf returns a new one and leaves the old one intact.
 * The caller seals leaves inside a database transaction; when it rolls back, the frontier it
 * had before is still the right one, with nothing to undo.
 */
export interface Frontier {
  readonly size: number;
  readonly hashes: readonly Buffer[];
}

/** A frontier as it is persisted, hashes in lowercase hex. */
export interface FrontierJSON {
  readonly size: number;
  readonly hashes: readonly string[];
}

export interface Appended {
  readonly frontier: Frontier;
  /**
   * The complete subtrees this leaf completed, from the leaf itself (level 0) up: one more for
   * every trailing 1 bit of the old size, two per leaf on average. Stored, they are the nodes
   * that merkle-nodes.ts computes every later root and proof from; none of them changes again.
   */
  readonly completed: readonly MerkleNode[];
}

export function emptyFrontier(): Frontier {
  return { size: 0, hashes: [] };
}

export function appendLeaf(frontier: Frontier, leafHash: Buffer): Appended {
  if (leafHash.length !== HASH_SIZE) throw new RangeError('A leaf hash has 32 bytes');
  if (frontier.size >= Number.MAX_SAFE_INTEGER) throw new RangeError('The tree is full');
  const hashes = [...frontier.hashes];
  let node: MerkleNode = { level: 0, index: frontier.size, hash: leafHash };
  const completed = [node];
  // An odd index is a right child, and its left sibling is the smallest subtree on the edge.
  while (node.index % 2 === 1) {
    const left = hashes.pop();
    if (!left) throw new Error(`Frontier of size ${frontier.size} is missing a subtree`);
    node = { level: node.level + 1, index: (node.index - 1) / 2, hash: nodeHash(left, node.hash) };
    completed.push(node);
  }
  hashes.push(node.hash);
  return { frontier: { size: frontier.size + 1, hashes }, completed };
}

/** MTH of all leaves appended so far: the edge's subtrees folded from the right. */
export function frontierRoot({ hashes }: Frontier): Buffer {
  if (hashes.length === 0) return emptyRoot();
  let root = hashes[hashes.length - 1];
  for (let i = hashes.length - 2; i >= 0; i--) root = nodeHash(hashes[i], root);
  return root;
}

export function frontierToJSON({ size, hashes }: Frontier): FrontierJSON {
  return { size, hashes: hashes.map((hash) => hash.toString('hex')) };
}

/**
 * Restores a persisted frontier, refusing one that cannot be a frontier. It throws rather than
 * repair: a frontier that does not match its size would seal every later leaf under a wrong
 * root.
 */
export function frontierFromJSON(json: FrontierJSON): Frontier {
  const { size, hashes } = json;
  if (!Number.isSafeInteger(size) || size < 0) throw new Error(`Frontier size ${size} is invalid`);
  if (!Array.isArray(hashes) || hashes.length !== setBits(size)) {
    throw new Error(`A frontier of size ${size} has ${setBits(size)} hashes`);
  }
  if (!hashes.every((hash) => typeof hash === 'string' && /^[0-9a-f]{64}$/.test(hash))) {
    throw new Error('A frontier hash is 64 lowercase hex digits');
  }
  return { size, hashes: hashes.map((hash) => Buffer.from(hash, 'hex')) };
}

/**
 * The frontier of the tree of `size` from stored nodes: its subtrees are exactly the nodes of
 * that tree's root. For resuming when the persisted frontier is lost or to check it against the
 * nodes table.
 */
export function frontierFromNodes(size: number, node: NodeLookup): Frontier {
  return { size, hashes: rootPlan(size).map(({ level, index }) => node(level, index)) };
}

function setBits(n: number): number {
  let bits = 0;
  for (let m = n; m > 0; m = Math.floor(m / 2)) bits += m % 2;
  return bits;
}
