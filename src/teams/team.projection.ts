import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { RecordedEvent } from '#libs/event-store/event-envelope.js';
import type { Projection } from '#libs/projections/projection.js';
import { TEAM_EVENT_TYPES, type TeamEvent } from './team.events.js';

/** Keeps team_views: one row per created team with its name, wijk, stadsdeel and postcode areas. */
@Injectable()
export class TeamProjection implements Projection {
  readonly name = 'teams';
  readonly tables = ['team_views'];
  readonly eventTypes = TEAM_EVENT_TYPES;

  async apply(recorded: RecordedEvent, manager: EntityManager): Promise<void> {
    const event = recorded as unknown as RecordedEvent & TeamEvent;
    switch (event.type) {
      case 'team.TeamCreated': {
        const { teamId, name, wijk, stadsdeel, postcodeAreas = [] } = event.data;
        await manager.query(
          `INSERT INTO team_views
             (team_id, name, wijk, stadsdeel, postcode_areas, created_at, stream_version)
           VALUES ($1, $2, $3, $4, $5, $6, $7)
           ON CONFLICT (team_id) DO UPDATE SET name = excluded.name, wijk = excluded.wijk,
             stadsdeel = excluded.stadsdeel, postcode_areas = excluded.postcode_areas,
             created_at = excluded.created_at, stream_version = excluded.stream_version`,
          [
            teamId,
            name,
            wijk,
            stadsdeel,
            postcodeAreas,
            event.metadata.occurredAt,
            event.streamVersion,
          ],
        );
        return;
      }
      case 'team.PostcodeAreasChanged':
        await manager.query(
          `UPDATE team_views SET postcode_areas = $2, stream_version = $3 WHERE team_id = $1`,
          [event.data.teamId, event.data.postcodeAreas, event.streamVersion],
        );
        return;
    }
  }
}
