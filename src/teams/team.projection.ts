import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { RecordedEvent } from '#libs/event-store/event-envelope.js';
import type { Projection } from '#libs/projections/projection.js';
import { TEAM_EVENT_TYPES, type TeamEvent } from './team.events.js';

/** Keeps team_views: one row per created team with its name, wijk and stadsdeel. */
@Injectable()
export class TeamProjection implements Projection {
  readonly name = 'teams';
  readonly tables = ['team_views'];
  readonly eventTypes = TEAM_EVENT_TYPES;

  async apply(recorded: RecordedEvent, manager: EntityManager): Promise<void> {
    const event = recorded as unknown as RecordedEvent & TeamEvent;
    switch (event.type) {
      case 'team.TeamCreated': {
        const { teamId, name, wijk, stadsdeel } = event.data;
        await manager.query(
          `INSERT INTO team_views (team_id, name, wijk, stadsdeel, created_at, stream_version)
           VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (team_id) DO UPDATE SET name = excluded.name, wijk = excluded.wijk,
             stadsdeel = excluded.stadsdeel, created_at = excluded.created_at,
             stream_version = excluded.stream_version`,
          [teamId, name, wijk, stadsdeel, event.metadata.occurredAt, event.streamVersion],
        );
        return;
      }
    }
  }
}
