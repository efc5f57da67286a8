import { HASH_SIZE, nodeHash } from './merkle-hash.js';

/**
 * The verifiers of RFC 9162 §2.1.3.2 and §2.1.4.2, step by step. They run on what a verifier
 * received from elsewhere, so anything malformed is a failed proof, never an exception.
 *
 * Sizes and indexes are numbers up to 2^53, so the RFC's bit operations are written as
 * arithmetic: JavaScript's bitwise operators would truncate them to 32 bits.
 */

export interface InclusionClaim {
  readonly leafHash: Uint8Array;
  readonly index: number;
  readonly size: number;
  readonly proof: readonly Uint8Array[];
  readonly root: Uint8Array;
}

export interface ConsistencyClaim {
  readonly oldSize: number;
  readonly newSize: number;
  readonly oldRoot: Uint8Array;
  readonly newRoot: Uint8Array;
  readonly proof: readonly Uint8Array[];
}

/** Whether `proof` shows the leaf with hash `leafHash` at `index` in the tree of `size` with `root`. */
export function verifyInclusion({ leafHash, index, size, proof, root }: InclusionClaim): boolean {
  if (!isCount(size) || !isCount(index) || index >= size) return false;
  if (!isHash(leafHash) || !isHash(root) || !isPath(proof)) return false;
  let fn = index;
  let sn = size - 1;
  let r: Buffer = Buffer.from(leafHash);
  for (const p of proof) {
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      r = nodeHash(p, r);
      while (!isOdd(fn) && fn !== 0) [fn, sn] = [half(fn), half(sn)];
    } else {
      r = nodeHash(r, p);
    }
    [fn, sn] = [half(fn), half(sn)];
  }
  return sn === 0 && r.equals(root);
}

/**
 * Whether `proof` shows the tree of `oldSize` with `oldRoot` to be a prefix of the tree of
 * `newSize` with `newRoot`. From the empty tree and between equal sizes the proof is empty
 * (RFC 9162 §2.1.4.1); the RFC's algorithm covers 0 < oldSize < newSize.
 */
export function verifyConsistency({
  oldSize,
  newSize,
  oldRoot,
  newRoot,
  proof,
}: ConsistencyClaim): boolean {
  if (!isCount(oldSize) || !isCount(newSize) || oldSize > newSize) return false;
  if (!isHash(oldRoot) || !isHash(newRoot) || !isPath(proof)) return false;
  if (oldSize === 0) return proof.length === 0;
  if (oldSize === newSize) return proof.length === 0 && Buffer.from(oldRoot).equals(newRoot);
  if (proof.length === 0) return false;

  // A complete old tree is itself a node of the new one, so the RFC leaves it out of the proof.
  const path = isPowerOfTwo(oldSize) ? [oldRoot, ...proof] : proof;
  let fn = oldSize - 1;
  let sn = newSize - 1;
  while (isOdd(fn)) [fn, sn] = [half(fn), half(sn)];
  let fr: Buffer = Buffer.from(path[0]);
  let sr = fr;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (!isOdd(fn) && fn !== 0) [fn, sn] = [half(fn), half(sn)];
    } else {
      sr = nodeHash(sr, c);
    }
    [fn, sn] = [half(fn), half(sn)];
  }
  return sn === 0 && fr.equals(oldRoot) && sr.equals(newRoot);
}

function isCount(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 0;
}

function isHash(hash: Uint8Array): boolean {
  return hash instanceof Uint8Array && hash.length === HASH_SIZE;
}

function isPath(proof: readonly Uint8Array[]): boolean {
  return Array.isArray(proof) && proof.every(isHash);
}

function isOdd(n: number): boolean {
  return n % 2 === 1;
}

function half(n: number): number {
  return Math.floor(n / 2);
}

function isPowerOfTwo(n: number): boolean {
  let m = n;
  while (m > 1 && !isOdd(m)) m = half(m);
  return m === 1;
}
