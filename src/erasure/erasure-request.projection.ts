import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { RecordedEvent } from '#libs/event-store/event-envelope.js';
import type { Projection } from '#libs/projections/projection.js';
import type { ErasureRequestEvent } from './erasure.events.js';

/** Keeps erasure_requests: one row per request, its status and (sealed) reasons. */
@Injectable()
export class ErasureRequestProjection implements Projection {
  readonly name = 'erasure-requests';
  readonly tables = ['erasure_requests'];
  readonly eventTypes = [
    'erasure.ErasureRequested',
    'erasure.ErasureGranted',
    'erasure.ErasureRefused',
  ] as const;

  async apply(recorded: RecordedEvent, manager: EntityManager): Promise<void> {
    const event = recorded as unknown as RecordedEvent & ErasureRequestEvent;
    switch (event.type) {
      case 'erasure.ErasureRequested': {
        const { requestId, familyId, memberId, reason, requestedBy } = event.data;
        await manager.query(
          `INSERT INTO erasure_requests (request_id, family_id, member_id, status, reason,
             requested_by, requested_at, stream_version)
           VALUES ($1, $2, $3, 'open', $4, $5, $6, $7)`,
          [
            requestId,
            familyId,
            memberId,
            reason,
            requestedBy,
            event.metadata.occurredAt,
            event.streamVersion,
          ],
        );
        return;
      }
      case 'erasure.ErasureGranted':
      case 'erasure.ErasureRefused': {
        const granted = event.type === 'erasure.ErasureGranted';
        const reason = granted ? event.data.reason : event.data.legalReason;
        await manager.query(
          `UPDATE erasure_requests SET status = $2, decided_by = $3, decided_at = $4,
             decision_reason = $5, stream_version = $6
            WHERE request_id = $1`,
          [
            event.data.requestId,
            granted ? 'granted' : 'refused',
            event.data.decidedBy,
            event.metadata.occurredAt,
            reason,
            event.streamVersion,
          ],
        );
        return;
      }
    }
  }
}
