import { emptyRoot, nodeHash } from './merkle-hash.js';

/**
 * The reference definitions of RFC 6962 §2.1, written as the recursions they are in the RFC so
 * that they can be checked against it by eye. They take the leaf hashes (leafHash of each
 * entry), not the entries, so that the same arrays feed these, the frontier and the node
 * lookups. They rehash the whole tree for every call: they are the oracle for the tests and for
 * small trees; merkle-nodes.ts computes the same values from stored nodes.
 *
 * Invalid arguments throw: a caller asking for a proof that cannot exist has a bug.
 */

/** The largest power of two smaller than n (n >= 2): where RFC 6962 splits a tree of n leaves. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** MTH(D[n]) over the given leaf hashes. */
export function rootOf(leaves: readonly Buffer[]): Buffer {
  return leaves.length === 0 ? emptyRoot() : mth(leaves, 0, leaves.length);
}

/** PATH(m, D[n]) of §2.1.1: the audit path of leaf `index` in the tree of the first `size` leaves. */
export function inclusionProof(leaves: readonly Buffer[], index: number, size: number): Buffer[] {
  checkSize(leaves, size);
  if (!Number.isSafeInteger(index) || index < 0 || index >= size) {
    throw new RangeError(`No leaf ${index} in a tree of ${size}`);
  }
  return path(leaves, index, 0, size);
}

/**
 * PROOF(m, D[n]) of §2.1.2: the hashes that show the tree of the first `oldSize` leaves is a
 * prefix of the tree of the first `newSize`. Empty for oldSize 0 (RFC 9162 §2.1.4: every tree
 * extends the empty one) and for equal sizes.
 */
export function consistencyProof(
  leaves: readonly Buffer[],
  oldSize: number,
  newSize: number,
): Buffer[] {
  checkSize(leaves, newSize);
  if (!Number.isSafeInteger(oldSize) || oldSize < 0 || oldSize > newSize) {
    throw new RangeError(`No consistency proof from ${oldSize} to ${newSize}`);
  }
  if (oldSize === 0) return [];
  return subproof(leaves, oldSize, 0, newSize, true);
}

function checkSize(leaves: readonly Buffer[], size: number): void {
  if (!Number.isSafeInteger(size) || size < 0 || size > leaves.length) {
    throw new RangeError(`No tree of ${size} in ${leaves.length} leaves`);
  }
}

/** MTH(D[start : start + n]), n >= 1. */
function mth(leaves: readonly Buffer[], start: number, n: number): Buffer {
  if (n === 1) return leaves[start];
  const k = splitPoint(n);
  return nodeHash(mth(leaves, start, k), mth(leaves, start + k, n - k));
}

/** PATH(m, D[start : start + n]). */
function path(leaves: readonly Buffer[], m: number, start: number, n: number): Buffer[] {
  if (n === 1) return [];
  const k = splitPoint(n);
  return m < k
    ? [...path(leaves, m, start, k), mth(leaves, start + k, n - k)]
    : [...path(leaves, m - k, start + k, n - k), mth(leaves, start, k)];
}

/** SUBPROOF(m, D[start : start + n], b). */
function subproof(
  leaves: readonly Buffer[],
  m: number,
  start: number,
  n: number,
  complete: boolean,
): Buffer[] {
  if (m === n) return complete ? [] : [mth(leaves, start, n)];
  const k = splitPoint(n);
  return m <= k
    ? [...subproof(leaves, m, start, k, complete), mth(leaves, start + k, n - k)]
    : [...subproof(leaves, m - k, start + k, n - k, false), mth(leaves, start, k)];
}
