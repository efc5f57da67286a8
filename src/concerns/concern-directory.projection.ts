import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { RecordedEvent } from '#libs/event-store/event-envelope.js';
import { isErased, PersonalDataVault } from '#libs/personal-data/personal-data-vault.js';
import type { Projection } from '#libs/projections/projection.js';
import type { ErasureGranted, RetentionExpired } from '../erasure/erasure.events.js';
import type { Address } from '../families/address.js';
import type { FamilyEvent } from '../families/family.events.js';
import type { PlanEvent } from '../plans/plan.events.js';
import type { TeamEvent } from '../teams/team.events.js';
import { addressDigest, personDigests, type SubjectDigest } from './subject-digests.js';

type Followed = TeamEvent | FamilyEvent | PlanEvent | ErasureGranted | RetentionExpired;

/**
 * What concerns need to know of the rest, in tables of their own: which team's wijk holds a
 * postcode area, the blind indexes of current members and household addresses (to propose
 * matches), and each family's casusregisseur (the reporter's contact once there is one).
 */
@Injectable()
export class ConcernDirectoryProjection implements Projection {
  readonly name = 'concern-directory';
  readonly tables = ['concern_team_areas', 'concern_family_digests', 'concern_family_regie'];
  readonly eventTypes = [
    'team.TeamCreated',
    'team.PostcodeAreasChanged',
    'family.FamilyRegistered',
    'family.MemberAdded',
    'family.MemberDeparted',
    'family.AddressChanged',
    'gezinsplan.RegieAssigned',
    'erasure.ErasureGranted',
    'erasure.RetentionExpired',
  ] as const;

  constructor(@Inject(PersonalDataVault) private readonly vault: PersonalDataVault) {}

  async apply(recorded: RecordedEvent, manager: EntityManager): Promise<void> {
    const event = recorded as unknown as RecordedEvent & Followed;
    switch (event.type) {
      case 'team.TeamCreated':
      case 'team.PostcodeAreasChanged': {
        const { teamId, postcodeAreas = [] } = event.data;
        await manager.query('DELETE FROM concern_team_areas WHERE team_id = $1', [teamId]);
        // An area given to a second team moves there: a concern has one intake.
        await manager.query(
          `INSERT INTO concern_team_areas (postcode_area, team_id)
           SELECT unnest($2::text[]), $1
           ON CONFLICT (postcode_area) DO UPDATE SET team_id = excluded.team_id`,
          [teamId, postcodeAreas],
        );
        return;
      }
      case 'family.FamilyRegistered': {
        const { familyId, members, address } = event.data;
        for (const m of members) await this.indexMember(manager, familyId, m);
        if (address) await this.indexAddress(manager, familyId, address);
        return;
      }
      case 'family.MemberAdded':
        return this.indexMember(manager, event.data.familyId, event.data);
      case 'family.MemberDeparted':
        return forget(manager, [event.data.memberId]);
      case 'family.AddressChanged':
        await forget(manager, [event.data.familyId]);
        return this.indexAddress(manager, event.data.familyId, event.data.address);
      case 'gezinsplan.RegieAssigned': {
        if (event.data.role !== 'casusregie') return;
        const { professionalId, name, organisation } = event.data.holder;
        await manager.query(
          `INSERT INTO concern_family_regie (family_id, professional_id, name, organisation)
           VALUES ($1, $2, $3, $4) ON CONFLICT (family_id) DO UPDATE SET
             professional_id = excluded.professional_id, name = excluded.name,
             organisation = excluded.organisation`,
          [event.streamId.slice('gezinsplan-'.length), professionalId, name, organisation],
        );
        return;
      }
      case 'erasure.ErasureGranted':
      case 'erasure.RetentionExpired':
        return forget(manager, event.data.subjects);
      default:
        return;
    }
  }

  private async indexMember(
    manager: EntityManager,
    familyId: string,
    member: { memberId: string; personal: string },
  ) {
    const personal = await this.vault.open<{
      bsn?: string;
      familyName?: string;
      dateOfBirth?: string;
    }>(member.personal);
    if (isErased(personal)) return;
    await insert(manager, familyId, member.memberId, personDigests(this.vault, personal));
  }

  private async indexAddress(manager: EntityManager, familyId: string, sealed: string) {
    const address = await this.vault.open<Address>(sealed);
    if (isErased(address)) return;
    await insert(manager, familyId, familyId, [addressDigest(this.vault, address)]);
  }
}

async function insert(
  manager: EntityManager,
  familyId: string,
  subjectId: string,
  digests: SubjectDigest[],
) {
  for (const { kind, digest } of digests) {
    await manager.query(
      `INSERT INTO concern_family_digests (family_id, subject_id, kind, digest)
       VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
      [familyId, subjectId, kind, digest],
    );
  }
}

function forget(manager: EntityManager, subjects: readonly string[]) {
  return manager.query('DELETE FROM concern_family_digests WHERE subject_id = ANY($1::uuid[])', [
    subjects,
  ]);
}
