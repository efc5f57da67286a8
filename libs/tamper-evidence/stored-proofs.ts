import type { EntityManager } from 'typeorm';
import {
  consistencyPlan,
  inclusionPlan,
  lookupFrom,
  nodesOf,
  resolvePlan,
  type NodeRef,
  type ProofPlan,
} from '../merkle/merkle-nodes.js';

type Queryable = Pick<EntityManager, 'query'>;

/** The stored complete-subtree nodes these references name, in one query. */
async function storedNodes(db: Queryable, refs: readonly NodeRef[]) {
  if (refs.length === 0) return lookupFrom([]);
  const rows: Array<{ level: number; idx: string; hash: Buffer }> = await db.query(
    `SELECT n.level, n.idx, n.hash FROM merkle_nodes n
       JOIN unnest($1::smallint[], $2::bigint[]) AS w(level, idx)
         ON n.level = w.level AND n.idx = w.idx`,
    [refs.map((r) => r.level), refs.map((r) => r.index)],
  );
  return lookupFrom(rows.map((r) => ({ level: r.level, index: Number(r.idx), hash: r.hash })));
}

/**
 * RFC 9162 inclusion proofs of these leaves in the tree of `size`, from the stored nodes: one
 * query for all of them. A leaf whose proof cannot be made (a node missing: the tables were
 * tampered with) gets none, and fails verification as it should.
 */
export async function inclusionProofs(
  db: Queryable,
  leaves: readonly number[],
  size: number,
): Promise<Map<number, Buffer[] | undefined>> {
  const plans = new Map<number, ProofPlan>(
    leaves.filter((leaf) => leaf < size).map((leaf) => [leaf, inclusionPlan(leaf, size)]),
  );
  const lookup = await storedNodes(
    db,
    dedupe([...plans.values()].flatMap((plan) => nodesOf(plan))),
  );
  const proofs = new Map<number, Buffer[] | undefined>();
  for (const [leaf, plan] of plans) {
    try {
      proofs.set(leaf, resolvePlan(plan, lookup));
    } catch {
      proofs.set(leaf, undefined);
    }
  }
  return proofs;
}

/** The RFC 9162 consistency proof from the tree of `oldSize` to that of `newSize`. */
export async function consistencyProofOf(
  db: Queryable,
  oldSize: number,
  newSize: number,
): Promise<Buffer[] | undefined> {
  const plan = consistencyPlan(oldSize, newSize);
  try {
    return resolvePlan(plan, await storedNodes(db, nodesOf(plan)));
  } catch {
    return undefined;
  }
}

function dedupe(refs: readonly NodeRef[]): NodeRef[] {
  const seen = new Map(refs.map((r) => [`${r.level}/${r.index}`, r]));
  return [...seen.values()];
}
