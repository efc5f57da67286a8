import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { RecordedEvent } from '#libs/event-store/event-envelope.js';
import type { Projection } from '#libs/projections/projection.js';
import {
  EMERGENCY_ACCESS_EVENT_TYPES,
  type EmergencyAccessEvent,
} from './emergency-access.events.js';

/**
 * Keeps emergency_accesses: one row per access, read by the privacy lens (is this caller's
 * glass broken for this family, now?) and by the privacy officer's review queue.
 */
@Injectable()
export class EmergencyAccessProjection implements Projection {
  readonly name = 'emergency-accesses';
  readonly tables = ['emergency_accesses'];
  readonly eventTypes = EMERGENCY_ACCESS_EVENT_TYPES;

  async apply(recorded: RecordedEvent, manager: EntityManager): Promise<void> {
    const event = recorded as unknown as RecordedEvent & EmergencyAccessEvent;
    switch (event.type) {
      case 'emergency.AccessGranted': {
        const d = event.data;
        await manager.query(
          `INSERT INTO emergency_accesses (access_id, user_id, user_name, organisation,
             subject_kind, reason, family_ids, granted_at, until)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
          [
            d.accessId,
            d.userId,
            d.name,
            d.organisation,
            d.subjectKind,
            d.reason,
            d.familyIds,
            d.grantedAt,
            d.until,
          ],
        );
        return;
      }
      case 'emergency.AccessReviewed': {
        const { accessId, ...review } = event.data;
        await manager.query('UPDATE emergency_accesses SET review = $2 WHERE access_id = $1', [
          accessId,
          JSON.stringify(review),
        ]);
        return;
      }
    }
  }
}
