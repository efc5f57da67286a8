import type { DataSource } from 'typeorm';
import type { ChainEntry, EventStore } from '../event-store/event-store.port.js';
import { formatPosition } from '../event-store/position.js';
import {
  appendLeaf,
  emptyFrontier,
  frontierRoot,
  type Frontier,
} from '../merkle/merkle-frontier.js';
import { verifyConsistency } from '../merkle/merkle-verify.js';
import { eventLeaf } from './merkle-log.js';
import { verifySeal, type SealPublicJwk } from './seal-signer.js';
import type { SinkSeal } from './seal-sink.js';
import { parseSealStatement } from './seal-statement.js';
import { consistencyProofOf } from './stored-proofs.js';

/** One thing found wrong, with what it is about. */
export interface TamperProblem {
  readonly kind:
    | 'event-changed'
    | 'event-removed'
    | 'event-moved'
    | 'event-inserted'
    | 'chain-broken'
    | 'hash-mismatch'
    | 'root-mismatch'
    | 'seal-forged'
    | 'seal-edited'
    | 'seal-not-in-sink'
    | 'seal-differs-from-sink'
    | 'seal-removed'
    | 'seals-inconsistent'
    | 'tree-shorter-than-seal'
    | 'tree-edited';
  readonly message: string;
  readonly sealId?: string;
  readonly leaf?: number;
  readonly eventId?: string;
  readonly streamId?: string;
  readonly streamVersion?: number;
}

export interface StoreVerification {
  readonly valid: boolean;
  /** Events read from the store. */
  readonly events: number;
  /** Seals checked (each against its signature, the sink and the events). */
  readonly seals: number;
  readonly problems: readonly TamperProblem[];
}

export interface StoreVerificationInput {
  readonly dataSource: DataSource;
  readonly store: EventStore;
  /** The seals the database holds, oldest first. */
  readonly seals: readonly SinkSeal[];
  /** What the sink outside the database holds; undefined when it cannot be read back. */
  readonly sinkSeals?: readonly SinkSeal[];
  /** The public key seals must be signed with: from configuration, never from the database. */
  readonly publicKey: SealPublicJwk;
  readonly pageSize?: number;
  readonly onProgress?: (events: number) => void;
}

interface RecordedLeaf {
  leaf: number;
  event_id: string;
  stream_id: string;
  stream_version: number;
  hash: Buffer;
}

/**
 * Checks the whole store against its seals, trusting nothing the database holds but what a
 * signature vouches for:
 * 1. every seal is signed by the configured key over its own statement, and is the same in the
 *    sink outside the database (and the sink holds no seal the database lost);
 * 2. the events as stored now, hashed as leaves in global order, give each genuine seal's root
 *    (a changed, removed, inserted or reordered event, or a rewritten tree, changes it);
 * 3. where they do not, the recorded leaves (merkle_leaves, merkle_nodes) name the event: the
 *    walk compares them with the stored events one by one;
 * 4. every stream's hash chain holds (an event changed without recomputing its chain keeps its
 *    stored hash, so only the chain check sees it);
 * 5. each genuine seal's tree extends the previous one (a consistency proof from the stored
 *    nodes).
 */
export async function verifyStore(input: StoreVerificationInput): Promise<StoreVerification> {
  const problems: TamperProblem[] = [];
  const genuine = genuineSeals(input.seals, input.sinkSeals, input.publicKey, problems);
  const walk = await walkEvents(input, genuine, problems);
  for (const streamId of walk.streams) {
    const chain = await input.store.verifyStream(streamId);
    if (!chain.valid && chain.firstBroken) {
      const broken = chain.firstBroken;
      problems.push({
        kind: broken.reason,
        message:
          broken.reason === 'hash-mismatch'
            ? `${streamId}@${broken.streamVersion} no longer hashes to its stored hash: changed after it was appended`
            : `${streamId}@${broken.streamVersion} does not link to the event before it in its stream`,
        eventId: broken.eventId,
        streamId,
        streamVersion: broken.streamVersion,
      });
    }
  }
  blameTheTree(problems, genuine);
  await checkConsistency(input.dataSource, genuine, walk.treeSize, problems);
  return { valid: problems.length === 0, events: walk.events, seals: input.seals.length, problems };
}

/**
 * An event whose leaf differs from the recorded one, under a genuine seal whose root the events
 * as stored now still give, was not changed: the recorded tree was (merkle_nodes edited).
 */
function blameTheTree(problems: TamperProblem[], genuine: readonly SinkSeal[]) {
  const mismatched = new Set(
    problems.filter((p) => p.kind === 'root-mismatch').map((p) => p.sealId),
  );
  problems.forEach((problem, i) => {
    if (problem.kind !== 'event-changed' || problem.leaf === undefined) return;
    const covering = genuine.find((seal) => seal.size > problem.leaf!);
    if (!covering || mismatched.has(covering.sealId)) return;
    problems[i] = {
      ...problem,
      kind: 'tree-edited',
      sealId: covering.sealId,
      message: `leaf ${problem.leaf} of the recorded tree is not the hash of ${problem.streamId}@${problem.streamVersion}, which seal ${covering.sealId} vouches for: the tree was edited, not the event`,
    };
  });
}

/**
 * The seals that are what they claim, in size order (those of the database, and those only the
 * sink still holds); every other one, and every difference between the two, is a problem.
 */
export function genuineSeals(
  seals: readonly SinkSeal[],
  sinkSeals: readonly SinkSeal[] | undefined,
  publicKey: SealPublicJwk,
  problems: TamperProblem[],
): SinkSeal[] {
  const input = { seals, sinkSeals, publicKey };
  const genuine: SinkSeal[] = [];
  const inSink = input.sinkSeals && new Map(input.sinkSeals.map((s) => [s.sealId, s]));
  for (const seal of input.seals) {
    const about = { sealId: seal.sealId };
    if (!verifySeal(seal.statement, seal.signature, input.publicKey)) {
      problems.push({
        ...about,
        kind: 'seal-forged',
        message: `seal ${seal.sealId} is not signed by the configured key (${input.publicKey.kid})`,
      });
      continue;
    }
    if (!sameAsStatement(seal)) {
      problems.push({
        ...about,
        kind: 'seal-edited',
        message: `seal ${seal.sealId} says other than the statement it signed`,
      });
      continue;
    }
    const copy = inSink?.get(seal.sealId);
    if (inSink && !copy) {
      problems.push({
        ...about,
        kind: 'seal-not-in-sink',
        message: `seal ${seal.sealId} is not in the sink outside the database`,
      });
    } else if (copy && (copy.statement !== seal.statement || copy.signature !== seal.signature)) {
      problems.push({
        ...about,
        kind: 'seal-differs-from-sink',
        message: `seal ${seal.sealId} differs from its copy in the sink`,
      });
    }
    genuine.push(seal);
  }
  const held = new Set(input.seals.map((s) => s.sealId));
  const vouched = new Set(genuine.map((s) => s.sealId));
  for (const copy of input.sinkSeals ?? []) {
    if (vouched.has(copy.sealId)) continue;
    if (!held.has(copy.sealId)) {
      problems.push({
        sealId: copy.sealId,
        kind: 'seal-removed',
        message: `seal ${copy.sealId} (${copy.size} events) is in the sink but no longer in the database`,
      });
    }
    // A seal the database lost or spoiled is as good a witness as any, once its signature holds.
    if (verifySeal(copy.statement, copy.signature, input.publicKey) && sameAsStatement(copy)) {
      genuine.push(copy);
    }
  }
  return genuine.sort((a, b) => a.size - b.size);
}

function sameAsStatement(seal: SinkSeal): boolean {
  try {
    const fields = parseSealStatement(seal.statement);
    return (
      fields.sealId === seal.sealId &&
      fields.size === seal.size &&
      fields.root === seal.root &&
      fields.sealedAt === seal.sealedAt
    );
  } catch {
    return false;
  }
}

/**
 * Reads every stored event in global order once, folding the leaves of the events as they are
 * now into a frontier (compared with each genuine seal's root at its size), and compares them
 * one by one with the leaves the log recorded when they were appended.
 */
async function walkEvents(
  input: StoreVerificationInput,
  seals: readonly SinkSeal[],
  problems: TamperProblem[],
) {
  const pageSize = input.pageSize ?? 5_000;
  const streams = new Set<string>();
  const [{ size }] = (await input.dataSource.query('SELECT size FROM merkle_log')) as Array<{
    size: string;
  }>;
  const treeSize = Number(size);
  const recorded = new RecordedLeaves(input.dataSource, pageSize);
  const diagnose = new Diagnosis(recorded, problems, treeSize);
  const pending = [...seals];
  let frontier: Frontier = emptyFrontier();
  let events = 0;
  let after: ChainEntry['position'] | undefined;
  const rootAt = () => {
    while (pending.length > 0 && pending[0].size === frontier.size) {
      const seal = pending.shift()!;
      if (frontierRoot(frontier).toString('hex') !== seal.root) {
        problems.push({
          kind: 'root-mismatch',
          sealId: seal.sealId,
          message: `the first ${seal.size} events as stored now do not hash to the root seal ${seal.sealId} signed`,
        });
      }
    }
  };
  rootAt();
  for (;;) {
    const page = await input.store.readChain({ after, maxCount: pageSize });
    if (page.length === 0) break;
    for (const entry of page) {
      streams.add(entry.streamId);
      await diagnose.next(entry, frontier.size);
      frontier = appendLeaf(frontier, eventLeaf(entry)).frontier;
      rootAt();
    }
    events += page.length;
    after = page[page.length - 1].position;
    input.onProgress?.(events);
  }
  await diagnose.finish();
  for (const seal of pending) {
    problems.push({
      kind: 'tree-shorter-than-seal',
      sealId: seal.sealId,
      message: `seal ${seal.sealId} covers ${seal.size} events; the store holds only ${frontier.size}`,
    });
  }
  return { events, streams, treeSize };
}

/** The log's recorded leaves in order, a page at a time; it can jump ahead. */
class RecordedLeaves {
  private page: RecordedLeaf[] = [];
  private at = 0;
  private next = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly pageSize: number,
  ) {}

  async peek(): Promise<RecordedLeaf | undefined> {
    if (this.at >= this.page.length) {
      this.page = await this.rows('l.leaf >= $1 ORDER BY l.leaf LIMIT $2', [
        this.next,
        this.pageSize,
      ]);
      this.at = 0;
      if (this.page.length > 0) this.next = this.page[this.page.length - 1].leaf + 1;
    }
    return this.page[this.at];
  }

  skip(): void {
    this.at += 1;
  }

  /** Goes on from this leaf: those before it were found out of order or are missing. */
  jumpTo(leaf: number): void {
    this.page = [];
    this.at = 0;
    this.next = leaf;
  }

  async find(eventId: string): Promise<RecordedLeaf | undefined> {
    const [row] = await this.rows('l.event_id = $1', [eventId]);
    return row;
  }

  async leavesAt(leaves: readonly number[]): Promise<RecordedLeaf[]> {
    return leaves.length === 0 ? [] : this.rows('l.leaf = ANY($1) ORDER BY l.leaf', [leaves]);
  }

  private async rows(where: string, parameters: unknown[]): Promise<RecordedLeaf[]> {
    const rows: Array<RecordedLeaf & { leaf: string }> = await this.dataSource.query(
      `SELECT l.leaf, l.event_id::text, l.stream_id, l.stream_version, n.hash
         FROM merkle_leaves l LEFT JOIN merkle_nodes n ON n.level = 0 AND n.idx = l.leaf
        WHERE ${where}`,
      parameters,
    );
    return rows.map((r) => ({ ...r, leaf: Number(r.leaf) }));
  }
}

/**
 * Walks the stored events beside the leaves the log recorded and names what differs: the same
 * event with another leaf (changed), a recorded event no stored one matches (removed), a stored
 * event the sealed tree never had (inserted), and events out of their recorded order (moved:
 * those outside the longest run that kept its order, so a swap names exactly the two swapped).
 * Stored events after the tree's end are new, not a problem. In an untouched store every event
 * matches the next recorded leaf: one look-up per page; after an anomaly the recorded leaves are
 * looked up by event id until they line up again.
 */
class Diagnosis {
  private readonly matched: Uint8Array;
  /** The recorded leaf of each stored event that has one, in the stored order. */
  private readonly order: number[] = [];

  constructor(
    private readonly recorded: RecordedLeaves,
    private readonly problems: TamperProblem[],
    private readonly treeSize: number,
  ) {
    this.matched = new Uint8Array(treeSize);
  }

  async next(entry: ChainEntry, index: number): Promise<void> {
    const leaf = await this.recorded.peek();
    const match = leaf?.event_id === entry.eventId ? leaf : await this.recorded.find(entry.eventId);
    if (!match) {
      if (index < this.treeSize) this.inserted(entry);
      return;
    }
    if (match === leaf) this.recorded.skip();
    else if (!leaf || match.leaf > leaf.leaf) this.recorded.jumpTo(match.leaf + 1);
    if (!match.hash || !match.hash.equals(eventLeaf(entry))) this.changed(entry, match);
    if (match.leaf < this.treeSize) this.matched[match.leaf] = 1;
    this.order.push(match.leaf);
  }

  async finish(): Promise<void> {
    const missing: number[] = [];
    for (let leaf = 0; leaf < this.treeSize; leaf += 1) if (!this.matched[leaf]) missing.push(leaf);
    for (const leaf of await this.recorded.leavesAt(missing))
      this.report('event-removed', leaf, 'was removed');
    const moved = outOfOrder(this.order);
    for (const leaf of await this.recorded.leavesAt(moved)) {
      this.report('event-moved', leaf, 'is no longer at its place in the global order');
    }
  }

  private report(kind: 'event-removed' | 'event-moved', leaf: RecordedLeaf, what: string) {
    this.problems.push({
      kind,
      leaf: leaf.leaf,
      eventId: leaf.event_id,
      streamId: leaf.stream_id,
      streamVersion: leaf.stream_version,
      message: `${leaf.stream_id}@${leaf.stream_version} (event ${leaf.event_id}) ${what}`,
    });
  }

  private changed(entry: ChainEntry, leaf: RecordedLeaf) {
    this.problems.push({
      kind: 'event-changed',
      leaf: leaf.leaf,
      eventId: entry.eventId,
      streamId: entry.streamId,
      streamVersion: entry.streamVersion,
      message: `${entry.streamId}@${entry.streamVersion} (event ${entry.eventId}) was changed after it was sealed: its hash is not the one recorded`,
    });
  }

  private inserted(entry: ChainEntry) {
    this.problems.push({
      kind: 'event-inserted',
      eventId: entry.eventId,
      streamId: entry.streamId,
      streamVersion: entry.streamVersion,
      message: `${entry.streamId}@${entry.streamVersion} (event ${entry.eventId}, at ${formatPosition(entry.position)}) is not in the sealed tree`,
    });
  }
}

/**
 * The values outside a longest strictly increasing subsequence (patience sorting, O(n log n)):
 * the recorded leaves of the events that left their order.
 */
export function outOfOrder(values: readonly number[]): number[] {
  const tails: number[] = [];
  const tailAt: number[] = [];
  const previous = new Int32Array(values.length).fill(-1);
  values.forEach((value, i) => {
    let low = 0;
    let high = tails.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (tails[mid] < value) low = mid + 1;
      else high = mid;
    }
    tails[low] = value;
    tailAt[low] = i;
    previous[i] = low > 0 ? tailAt[low - 1] : -1;
  });
  const kept = new Uint8Array(values.length);
  for (let i = tails.length > 0 ? tailAt[tails.length - 1] : -1; i >= 0; i = previous[i])
    kept[i] = 1;
  return values.filter((_, i) => !kept[i]);
}

/** Each genuine seal's tree extends the one before: a consistency proof from the stored nodes. */
async function checkConsistency(
  dataSource: DataSource,
  seals: readonly SinkSeal[],
  treeSize: number,
  problems: TamperProblem[],
) {
  for (let i = 1; i < seals.length; i += 1) {
    const [older, newer] = [seals[i - 1], seals[i]];
    if (older.size === 0 || newer.size > treeSize || older.size === newer.size) continue;
    const proof = (await consistencyProofOf(dataSource, older.size, newer.size)) ?? [];
    const consistent = verifyConsistency({
      oldSize: older.size,
      newSize: newer.size,
      oldRoot: Buffer.from(older.root, 'hex'),
      newRoot: Buffer.from(newer.root, 'hex'),
      proof,
    });
    if (!consistent) {
      problems.push({
        kind: 'seals-inconsistent',
        sealId: newer.sealId,
        message: `the stored tree does not prove that seal ${newer.sealId} extends seal ${older.sealId}`,
      });
    }
  }
}
