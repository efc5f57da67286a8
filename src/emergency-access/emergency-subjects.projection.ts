import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { RecordedEvent } from '#libs/event-store/event-envelope.js';
import { isErased, PersonalDataVault } from '#libs/personal-data/personal-data-vault.js';
import { BatchState } from '#libs/projections/batch-state.js';
import { upsertRows, type BulkUpsert } from '#libs/projections/bulk-write.js';
import type { Projection } from '#libs/projections/projection.js';
import type { ErasureGranted, RetentionExpired } from '../erasure/erasure.events.js';
import type { Address } from '../families/address.js';
import type { FamilyEvent } from '../families/family.events.js';
import { addressDigest, bsnDigest } from '../families/subject-index.js';

type Indexed = FamilyEvent | ErasureGranted | RetentionExpired;

/**
 * Keeps emergency_subject_index: the blind-index digests of current members' BSNs and of each
 * household's address. It opens what it indexes with the vault, so a member whose key was
 * destroyed is never indexed again (a rebuild after an erasure gives the same rows).
 */
@Injectable()
export class EmergencySubjectsProjection implements Projection {
  readonly name = 'emergency-subjects';
  readonly tables = ['emergency_subject_index'];
  readonly eventTypes = [
    'family.FamilyRegistered',
    'family.MemberAdded',
    'family.MemberDeparted',
    'family.AddressChanged',
    'erasure.ErasureGranted',
    'erasure.RetentionExpired',
  ] as const;

  constructor(@Inject(PersonalDataVault) private readonly vault: PersonalDataVault) {}

  private readonly batches = new BatchState<Batch>(() => new Map());

  async apply(recorded: RecordedEvent, manager: EntityManager): Promise<void> {
    const event = recorded as unknown as RecordedEvent & Indexed;
    const batch = this.batches.of(manager);
    switch (event.type) {
      case 'family.FamilyRegistered': {
        const { familyId, members, address } = event.data;
        for (const m of members) await this.indexMember(batch, familyId, m);
        if (address) await this.indexAddress(batch, familyId, address);
        return;
      }
      case 'family.MemberAdded':
        return this.indexMember(batch, event.data.familyId, event.data);
      case 'family.MemberDeparted':
        // A search finds the household a person lives in now.
        return forget(batch, [event.data.memberId]);
      case 'family.AddressChanged':
        forget(batch, [event.data.familyId]);
        return this.indexAddress(batch, event.data.familyId, event.data.address);
      case 'erasure.ErasureGranted':
      case 'erasure.RetentionExpired':
        return forget(batch, event.data.subjects);
      default:
        return;
    }
  }

  /** The batch's changes in two statements: the subjects forgotten, then the digests added. */
  async flush(manager: EntityManager): Promise<void> {
    const batch = this.batches.take(manager);
    if (!batch) return;
    const forgotten = [...batch].filter(([, s]) => s.forget).map(([subject]) => subject);
    if (forgotten.length > 0) {
      await manager.query(
        'DELETE FROM emergency_subject_index WHERE subject_id = ANY($1::uuid[])',
        [forgotten],
      );
    }
    await upsertRows(
      manager,
      INDEX,
      [...batch].flatMap(([subject_id, s]) =>
        [...s.digests].map(([key, family_id]) => ({
          digest: key.slice(0, key.indexOf(' ')),
          family_id,
          subject_id,
        })),
      ),
    );
  }

  private async indexMember(
    batch: Batch,
    familyId: string,
    member: { memberId: string; personal: string },
  ) {
    const personal = await this.vault.open<{ bsn?: string }>(member.personal);
    if (isErased(personal) || !personal.bsn) return;
    add(batch, bsnDigest(this.vault, personal.bsn), familyId, member.memberId);
  }

  private async indexAddress(batch: Batch, familyId: string, sealed: string) {
    const address = await this.vault.open<Address>(sealed);
    if (isErased(address)) return;
    add(batch, addressDigest(this.vault, address), familyId, familyId);
  }
}

/** Per subject, what the batch did: whether its earlier rows go, and the rows it gets. */
type Batch = Map<string, { forget: boolean; digests: Map<string, string> }>;

const INDEX: BulkUpsert = {
  table: 'emergency_subject_index',
  columns: [
    { name: 'digest', type: 'text' },
    { name: 'family_id', type: 'uuid' },
    { name: 'subject_id', type: 'uuid' },
  ],
  conflict: ['digest', 'family_id', 'subject_id'],
};

function subjectOf(batch: Batch, subjectId: string) {
  let subject = batch.get(subjectId);
  if (!subject) {
    subject = { forget: false, digests: new Map() };
    batch.set(subjectId, subject);
  }
  return subject;
}

function add(batch: Batch, digest: string, familyId: string, subjectId: string) {
  subjectOf(batch, subjectId).digests.set(`${digest} ${familyId}`, familyId);
}

function forget(batch: Batch, subjects: readonly string[]) {
  for (const id of subjects) {
    const subject = subjectOf(batch, id);
    subject.forget = true;
    subject.digests.clear();
  }
}
