import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { RecordedEvent } from '../../libs/event-store/event-envelope.js';
import { isErased, PersonalDataVault } from '../../libs/personal-data/personal-data-vault.js';
import type { Projection } from '../../libs/projections/projection.js';
import type { ErasureGranted, RetentionExpired } from '../erasure/erasure.events.js';
import type { Address } from '../families/address.js';
import type { FamilyEvent } from '../families/family.events.js';
import { addressDigest, bsnDigest } from './subject-index.js';

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

  async apply(recorded: RecordedEvent, manager: EntityManager): Promise<void> {
    const event = recorded as unknown as RecordedEvent & Indexed;
    switch (event.type) {
      case 'family.FamilyRegistered': {
        const { familyId, members, address } = event.data;
        for (const m of members) await this.indexMember(manager, familyId, m);
        if (address) await this.indexAddress(manager, familyId, address);
        return;
      }
      case 'family.MemberAdded':
        return this.indexMember(manager, event.data.familyId, event.data);
      case 'family.MemberDeparted':
        // A search finds the household a person lives in now.
        return this.forget(manager, [event.data.memberId]);
      case 'family.AddressChanged':
        await this.forget(manager, [event.data.familyId]);
        return this.indexAddress(manager, event.data.familyId, event.data.address);
      case 'erasure.ErasureGranted':
      case 'erasure.RetentionExpired':
        return this.forget(manager, event.data.subjects);
      default:
        return;
    }
  }

  private async indexMember(
    manager: EntityManager,
    familyId: string,
    member: { memberId: string; personal: string },
  ) {
    const personal = await this.vault.open<{ bsn?: string }>(member.personal);
    if (isErased(personal) || !personal.bsn) return;
    await this.insert(manager, bsnDigest(this.vault, personal.bsn), familyId, member.memberId);
  }

  private async indexAddress(manager: EntityManager, familyId: string, sealed: string) {
    const address = await this.vault.open<Address>(sealed);
    if (isErased(address)) return;
    await this.insert(manager, addressDigest(this.vault, address), familyId, familyId);
  }

  private insert(manager: EntityManager, digest: string, familyId: string, subjectId: string) {
    return manager.query(
      `INSERT INTO emergency_subject_index (digest, family_id, subject_id) VALUES ($1, $2, $3)
       ON CONFLICT DO NOTHING`,
      [digest, familyId, subjectId],
    );
  }

  private forget(manager: EntityManager, subjects: readonly string[]) {
    return manager.query('DELETE FROM emergency_subject_index WHERE subject_id = ANY($1::uuid[])', [
      subjects,
    ]);
  }
}
