import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { RecordedEvent } from '#libs/event-store/event-envelope.js';
import type { Projection } from '#libs/projections/projection.js';
import type { ConcernEvent } from '../concerns/concern.events.js';
import type { ConcernOutcome } from './concern-figures.js';

/** The concern events that decide a concern's team, category or outcome. */
const EVENT_TYPES = [
  'concern.ConcernReceived',
  'concern.ConcernLinked',
  'concern.FamilyRegisteredFromConcern',
  'concern.ConcernDismissed',
  'concern.ConcernClosed',
  'concern.ConcernReopened',
] as const satisfies readonly ConcernEvent['type'][];

const OUTCOME_OF: Record<(typeof EVENT_TYPES)[number], ConcernOutcome> = {
  'concern.ConcernReceived': 'open',
  'concern.ConcernLinked': 'linked',
  'concern.FamilyRegisteredFromConcern': 'registered',
  'concern.ConcernDismissed': 'dismissed',
  'concern.ConcernClosed': 'closed',
  'concern.ConcernReopened': 'open',
};

/**
 * The monitor's own fold of the concern events (it reads no other capability's tables): per
 * concern its team, category and outcome, nothing personal. A destroyed concern keeps the
 * outcome it had (its key is gone, not the fact that there was a concern). The wijk of the
 * team comes from monitor_teams, which the monitor's facts projection keeps from team events.
 */
@Injectable()
export class MonitorConcernsProjection implements Projection {
  readonly name = 'monitor-concerns';
  readonly tables = ['monitor_concerns'];
  readonly eventTypes = EVENT_TYPES;

  async apply(recorded: RecordedEvent, manager: EntityManager): Promise<void> {
    const event = recorded as unknown as RecordedEvent & ConcernEvent;
    const outcome = OUTCOME_OF[event.type as (typeof EVENT_TYPES)[number]];
    if (event.type === 'concern.ConcernReceived') {
      const { concernId, teamId, category } = event.data;
      await manager.query(
        `INSERT INTO monitor_concerns (concern_id, team_id, category, outcome)
         VALUES ($1, $2, $3, $4) ON CONFLICT (concern_id) DO NOTHING`,
        [concernId, teamId, category, outcome],
      );
      return;
    }
    await manager.query('UPDATE monitor_concerns SET outcome = $2 WHERE concern_id = $1', [
      event.data.concernId,
      outcome,
    ]);
  }
}
