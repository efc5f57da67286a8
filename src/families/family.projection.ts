import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { RecordedEvent } from '../../libs/event-store/event-envelope.js';
import type { Projection } from '../../libs/projections/projection.js';
import { FAMILY_EVENT_TYPES, type FamilyEvent } from './family.events.js';

/** Keeps family_views: one row per family with its members, network and case team. */
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
          `INSERT INTO family_views (family_id, team_id, municipality, members, network, case_team, registered_at, stream_version)
           VALUES ($1, $2, $3, $4, $5, '[]', $6, $7)`,
          [
            event.data.familyId,
            event.data.teamId,
            event.metadata.municipality,
            JSON.stringify(event.data.members.map((m) => ({ ...m, status: 'current' }))),
            JSON.stringify(event.data.network),
            event.metadata.occurredAt,
            event.streamVersion,
          ],
        );
        return;
      case 'family.ProfessionalJoinedCaseTeam': {
        const { familyId, ...professional } = event.data;
        await manager.query(
          `UPDATE family_views SET case_team = case_team || $2::jsonb, stream_version = $3
            WHERE family_id = $1`,
          [familyId, JSON.stringify([professional]), event.streamVersion],
        );
        return;
      }
      case 'family.MemberAdded': {
        const { familyId, memberId, role, personal } = event.data;
        await manager.query(
          `UPDATE family_views SET members = members || $2::jsonb, stream_version = $3
            WHERE family_id = $1`,
          [
            familyId,
            JSON.stringify([{ memberId, role, personal, status: 'current' }]),
            event.streamVersion,
          ],
        );
        return;
      }
      case 'family.MemberDeparted':
        // The member stays listed (history is kept); only their status changes, in place.
        await manager.query(
          `UPDATE family_views SET stream_version = $3, members = (
              SELECT coalesce(jsonb_agg(
                       CASE WHEN m->>'memberId' = $2 THEN m || '{"status": "departed"}'::jsonb ELSE m END
                       ORDER BY i), '[]'::jsonb)
                FROM jsonb_array_elements(members) WITH ORDINALITY AS e(m, i))
            WHERE family_id = $1`,
          [event.data.familyId, event.data.memberId, event.streamVersion],
        );
        return;
      case 'family.NetworkMemberAdded': {
        const { familyId, networkId, relation, personal } = event.data;
        await manager.query(
          `UPDATE family_views SET network = network || $2::jsonb, stream_version = $3
            WHERE family_id = $1`,
          [familyId, JSON.stringify([{ networkId, relation, personal }]), event.streamVersion],
        );
        return;
      }
      case 'family.ConsentGranted': {
        const { familyId, ...consent } = event.data;
        await manager.query(
          `UPDATE family_views SET consents = consents || $2::jsonb, stream_version = $3
            WHERE family_id = $1`,
          [familyId, JSON.stringify([{ ...consent, withdrawn: false }]), event.streamVersion],
        );
        return;
      }
      case 'family.ConsentWithdrawn':
        await manager.query(
          `UPDATE family_views SET stream_version = $3, consents = (
              SELECT coalesce(jsonb_agg(
                       CASE WHEN c->>'consentId' = $2 THEN c || '{"withdrawn": true}'::jsonb ELSE c END
                       ORDER BY i), '[]'::jsonb)
                FROM jsonb_array_elements(consents) WITH ORDINALITY AS e(c, i))
            WHERE family_id = $1`,
          [event.data.familyId, event.data.consentId, event.streamVersion],
        );
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
