import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AuthUser } from '#libs/auth/auth-user.js';
import { EVENT_STORE, type EventStore } from '#libs/event-store/event-store.port.js';
import { forbidden, notFound } from '#libs/http/problem-details.js';
import { SealSigner } from '#libs/tamper-evidence/seal-signer.js';
import { SEAL_SINK, type SealSink, type SinkSeal } from '#libs/tamper-evidence/seal-sink.js';
import { Sealer, type StoredSeal } from '#libs/tamper-evidence/sealer.js';
import {
  familyEvidence,
  UnknownSeal,
  type FamilyEvidence,
} from '#libs/tamper-evidence/family-evidence.js';
import { familyProof } from '#libs/tamper-evidence/family-proof.js';
import { verifyStore, type StoreVerification } from '#libs/tamper-evidence/store-verification.js';

/** A seal as the API shows it (api.md): `events` is the tree's size. */
export function sealView(seal: StoredSeal) {
  return {
    sealId: seal.sealId,
    upTo: seal.upTo,
    events: seal.size,
    root: seal.root,
    signature: seal.signature,
    keyId: seal.keyId,
    sealedAt: seal.sealedAt,
    statement: seal.statement,
  };
}

/**
 * The seals and the store-wide verification, for auditors (sealing on request also for admins).
 * The public key comes from the signer, never from the database: a seal the database holds is
 * only as good as the key it verifies under.
 */
@Injectable()
export class TamperEvidenceService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(Sealer) private readonly sealer: Sealer,
    @Inject(SealSigner) private readonly signer: SealSigner,
    @Inject(SEAL_SINK) private readonly sink: SealSink,
  ) {}

  async seal(user: AuthUser) {
    assertRole(user, ['auditor', 'admin']);
    return sealView(await this.sealer.seal());
  }

  async seals(user: AuthUser) {
    assertRole(user, ['auditor', 'admin']);
    return { items: (await this.sealer.list()).map(sealView) };
  }

  publicKey() {
    return this.signer.publicJwk();
  }

  async verifyStore(
    user: AuthUser,
    onProgress?: (events: number) => void,
  ): Promise<StoreVerification> {
    assertRole(user, ['auditor']);
    return verifyStore({
      dataSource: this.dataSource,
      store: this.store,
      seals: await this.sealer.list(),
      sinkSeals: await this.sinkSeals(),
      publicKey: this.signer.publicJwk(),
      onProgress,
    });
  }

  /** The family's streams against the latest genuine seal, or the one named (family-evidence.ts). */
  async family(streams: readonly string[], sealId?: string): Promise<FamilyEvidence> {
    return familyEvidence({
      dataSource: this.dataSource,
      store: this.store,
      streams,
      seals: await this.sealer.list(),
      sinkSeals: await this.sinkSeals(),
      publicKey: this.signer.publicJwk(),
      sealId,
    });
  }

  /**
   * The proof an outsider checks with scripts/verify-family-proof.mjs: the family's sealed
   * events, as hashed, with their inclusion proofs against the seal. 404 when there is no
   * genuine seal of that id, or none at all yet.
   */
  async familyProof(familyId: string, streams: readonly string[], sealId?: string) {
    let evidence: FamilyEvidence;
    try {
      evidence = await this.family(streams, sealId);
    } catch (error) {
      if (error instanceof UnknownSeal) throw notFound(`No genuine seal ${error.sealId}`);
      throw error;
    }
    if (!evidence.seal) throw notFound('No seal covers this family yet');
    return familyProof({
      familyId,
      seal: evidence.seal,
      events: evidence.events.flatMap((e) =>
        e.leaf !== undefined && e.proof !== undefined
          ? [{ leaf: e.leaf, position: e.hashed.position, hashed: e.hashed, proof: e.proof }]
          : [],
      ),
    });
  }

  /** What the sink holds, where it can be read back (a directory; a webhook cannot). */
  private async sinkSeals(): Promise<SinkSeal[] | undefined> {
    const readable = this.sink as SealSink & { readAll?: () => Promise<{ seals: SinkSeal[] }> };
    return readable.readAll ? (await readable.readAll()).seals : undefined;
  }
}

function assertRole(user: AuthUser, roles: ReadonlyArray<AuthUser['roles'][number]>) {
  if (!user.roles.some((role) => roles.includes(role))) {
    throw forbidden(`Only ${roles.join(' or ')} may do this`);
  }
}
