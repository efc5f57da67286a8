import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { RecordedEvent } from '../../libs/event-store/event-envelope.js';
import type { Projection } from '../../libs/projections/projection.js';
import { FAMILY_EVENT_TYPES, type FamilyEvent } from './family.events.js';

/** The jsonb list columns of family_views, with the key that identifies an element of each. */
type ListColumn = 'members' | 'network' | 'case_team' | 'consents';

/** Appends one element to a list of the family (a member, a consent, ...). */
function append(
  manager: EntityManager,
  column: ListColumn,
  event: RecordedEvent & { data: { familyId: string } },
  element: object,
) {
  return manager.query(
    `UPDATE family_views SET ${column} = ${column} || $2::jsonb, stream_version = $3
      WHERE family_id = $1`,
    [event.data.familyId, JSON.stringify([element]), event.streamVersion],
  );
}

/** Merges `patch` into the element whose `key` is `id`, in place: history keeps its order. */
function patch(
  manager: EntityManager,
  column: ListColumn,
  key: string,
  event: RecordedEvent & { data: { familyId: string } },
  id: string,
  changes: object,
) {
  return manager.query(
    `UPDATE family_views SET stream_version = $3, ${column} = (
        SELECT coalesce(jsonb_agg(CASE WHEN x->>'${key}' = $2 THEN x || $4::jsonb ELSE x END
                                  ORDER BY i), '[]'::jsonb)
          FROM jsonb_array_elements(${column}) WITH ORDINALITY AS e(x, i))
      WHERE family_id = $1`,
    [event.data.familyId, id, event.streamVersion, JSON.stringify(changes)],
  );
}

/** Keeps family_views: one row per family with its members, network, case team and consents. */
@Injectable()
export class FamilyProjection implements Projection {
  readonly name = 'families';
  readonly tables = ['family_views'];
  readonly eventTypes = FAMILY_EVENT_TYPES;

  async apply(recorded: RecordedEvent, manager: EntityManager): Promise<void> {
    const event = recorded as unknown as RecordedEvent & FamilyEvent;
    switch (event.type) {
      case 'family.FamilyRegistered':
        await manager.query(
          `INSERT INTO family_views (family_id, team_id, municipality, members, network, case_team, registered_at, stream_version, address)
           VALUES ($1, $2, $3, $4, $5, '[]', $6, $7, $8)`,
          [
            event.data.familyId,
            event.data.teamId,
            event.metadata.municipality,
            JSON.stringify(event.data.members.map((m) => ({ ...m, status: 'current' }))),
            JSON.stringify(event.data.network),
            event.metadata.occurredAt,
            event.streamVersion,
            event.data.address ?? null,
          ],
        );
        return;
      case 'family.AddressChanged':
        await manager.query(
          'UPDATE family_views SET address = $2, stream_version = $3 WHERE family_id = $1',
          [event.data.familyId, event.data.address, event.streamVersion],
        );
        return;
      case 'family.ProfessionalJoinedCaseTeam': {
        const { familyId: _, ...professional } = event.data;
        await append(manager, 'case_team', event, professional);
        return;
      }
      case 'family.MemberAdded': {
        const { memberId, role, personal } = event.data;
        await append(manager, 'members', event, { memberId, role, personal, status: 'current' });
        return;
      }
      case 'family.MemberDeparted':
        // The member stays listed (history is kept); only their status changes.
        await patch(manager, 'members', 'memberId', event, event.data.memberId, {
          status: 'departed',
        });
        return;
      case 'family.NetworkMemberAdded': {
        const { networkId, relation, personal } = event.data;
        await append(manager, 'network', event, { networkId, relation, personal });
        return;
      }
      case 'family.ConsentGranted': {
        const { familyId: _, ...consent } = event.data;
        await append(manager, 'consents', event, { ...consent, withdrawn: false });
        return;
      }
      case 'family.ConsentWithdrawn':
        await patch(manager, 'consents', 'consentId', event, event.data.consentId, {
          withdrawn: true,
        });
        return;
      case 'family.MemberCameOfAge':
        // Ages are computed from the sealed date of birth and the clock; nothing to store.
        await manager.query('UPDATE family_views SET stream_version = $2 WHERE family_id = $1', [
          event.data.familyId,
          event.streamVersion,
        ]);
        return;
    }
  }
}
