import type { DataSource } from 'typeorm';
import type { EventStore, HashedEvent } from '../event-store/event-store.port.js';
import { formatPosition } from '../event-store/position.js';
import { verifyInclusion } from '../merkle/merkle-verify.js';
import { eventLeaf } from './merkle-log.js';
import { genuineSeals, type TamperProblem } from './store-verification.js';
import type { SealPublicJwk } from './seal-signer.js';
import type { SinkSeal } from './seal-sink.js';
import { inclusionProofs } from './stored-proofs.js';

export interface FamilyEvidenceInput {
  readonly dataSource: DataSource;
  readonly store: EventStore;
  /** The family's streams. */
  readonly streams: readonly string[];
  /** The seals the database holds and those the sink holds (a removed one still witnesses). */
  readonly seals: readonly SinkSeal[];
  readonly sinkSeals?: readonly SinkSeal[];
  readonly publicKey: SealPublicJwk;
  /** Check against this seal rather than the latest (it must be genuine). */
  readonly sealId?: string;
}

/** One of the family's events, with its recorded leaf (if the tree has it) and its proof. */
export interface EvidencedEvent {
  readonly hashed: HashedEvent;
  readonly leaf: number | undefined;
  readonly proof: Buffer[] | undefined;
}

export interface FamilyEvidence {
  /** The latest genuine seal, the one the events are checked against; undefined if none. */
  readonly seal: SinkSeal | undefined;
  readonly events: readonly EvidencedEvent[];
  /** Events after the seal (not yet sealed: nothing to check them against yet). */
  readonly unsealed: number;
  readonly problems: readonly TamperProblem[];
}

/** No genuine seal has this id (none, or one that is forged or edited). */
export class UnknownSeal extends Error {
  constructor(readonly sealId: string) {
    super(`No genuine seal ${sealId}`);
  }
}

interface RecordedLeaf {
  leaf: string;
  event_id: string;
  stream_id: string;
  stream_version: number;
  position: string;
}

/**
 * The family's events against the latest genuine seal: each event the tree recorded before
 * that seal must still be stored, at its recorded place, and prove to be in the sealed tree
 * from its content as stored now (its chain hash as leaf, an RFC 9162 inclusion proof from the
 * stored nodes against the signed root). A rewritten chain changes the hash and the proof fails;
 * a deleted event or stream leaves a recorded leaf without its event; a reordering moves an
 * event from its recorded position; an edited or forged seal is not genuine.
 */
export async function familyEvidence(input: FamilyEvidenceInput): Promise<FamilyEvidence> {
  const problems: TamperProblem[] = [];
  const genuine = genuineSeals(input.seals, input.sinkSeals, input.publicKey, problems);
  const seal = input.sealId ? genuine.find((g) => g.sealId === input.sealId) : genuine.at(-1);
  if (input.sealId && !seal) throw new UnknownSeal(input.sealId);
  const stored = (
    await Promise.all(input.streams.map((stream) => input.store.readStreamContent(stream)))
  ).flat();
  const recorded: RecordedLeaf[] = input.streams.length
    ? await input.dataSource.query(
        `SELECT leaf::text, event_id::text, stream_id, stream_version, position
           FROM merkle_leaves WHERE stream_id = ANY($1) ORDER BY leaf`,
        [input.streams],
      )
    : [];
  const byEvent = new Map(recorded.map((r) => [r.event_id, r]));
  const size = seal?.size ?? 0;
  const sealedLeaves = stored
    .map((e) => byEvent.get(e.content.eventId))
    .filter((r): r is RecordedLeaf => r !== undefined && Number(r.leaf) < size)
    .map((r) => Number(r.leaf));
  const proofs = seal ? await inclusionProofs(input.dataSource, sealedLeaves, size) : new Map();
  const root = seal && Buffer.from(seal.root, 'hex');
  const sealEnd = seal ? await lastSealedPosition(input.dataSource, seal.size) : undefined;
  const events: EvidencedEvent[] = [];
  let unsealed = 0;
  for (const hashed of stored) {
    const record = byEvent.get(hashed.content.eventId);
    const leaf = record ? Number(record.leaf) : undefined;
    const about = {
      eventId: hashed.content.eventId,
      streamId: hashed.content.streamId,
      streamVersion: hashed.content.streamVersion,
      ...(leaf === undefined ? {} : { leaf }),
      ...(seal ? { sealId: seal.sealId } : {}),
    };
    const name = `${hashed.content.streamId}@${hashed.content.streamVersion} (event ${hashed.content.eventId})`;
    if (leaf === undefined || leaf >= size) {
      const position = formatPosition(hashed.position);
      if (seal && leaf === undefined && !after(position, sealEnd)) {
        problems.push({
          ...about,
          kind: 'event-inserted',
          message: `${name} is stored before the end of seal ${seal.sealId} but the sealed tree never had it`,
        });
      } else {
        unsealed += 1;
      }
      events.push({ hashed, leaf, proof: undefined });
      continue;
    }
    const proof = proofs.get(leaf);
    events.push({ hashed, leaf, proof });
    if (record!.position !== formatPosition(hashed.position)) {
      problems.push({
        ...about,
        kind: 'event-moved',
        message: `${name} is no longer at its sealed place in the global order (${record!.position})`,
      });
    }
    const included =
      proof !== undefined &&
      verifyInclusion({ leafHash: eventLeaf(hashed), index: leaf, size, proof, root: root! });
    if (!included) {
      problems.push({
        ...about,
        kind: 'event-changed',
        message: `${name} does not prove to be in seal ${seal!.sealId} as stored now: changed since it was sealed`,
      });
    }
  }
  const present = new Set(stored.map((e) => e.content.eventId));
  for (const r of recorded) {
    if (Number(r.leaf) >= size || present.has(r.event_id)) continue;
    problems.push({
      kind: 'event-removed',
      leaf: Number(r.leaf),
      eventId: r.event_id,
      streamId: r.stream_id,
      streamVersion: r.stream_version,
      sealId: seal!.sealId,
      message: `${r.stream_id}@${r.stream_version} (event ${r.event_id}) was sealed by ${seal!.sealId} and is no longer stored`,
    });
  }
  problems.sort((a, b) => (a.leaf ?? Infinity) - (b.leaf ?? Infinity));
  return { seal, events, unsealed, problems };
}

/** Where a seal of `size` ends in the global order: the recorded position of its last leaf. */
async function lastSealedPosition(dataSource: DataSource, size: number) {
  if (size === 0) return undefined;
  const [row] = (await dataSource.query('SELECT position FROM merkle_leaves WHERE leaf = $1', [
    size - 1,
  ])) as Array<{ position: string }>;
  return row?.position;
}

/** Whether position `a` comes after `b` ("<commit>-<prepare>"); true when `b` is unknown. */
function after(a: string, b: string | undefined): boolean {
  if (b === undefined) return true;
  const [ac, ap] = a.split('-').map(BigInt);
  const [bc, bp] = b.split('-').map(BigInt);
  return ac !== bc ? ac > bc : ap > bp;
}
