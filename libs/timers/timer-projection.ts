import type { EntityManager } from 'typeorm';
import type { RecordedEvent } from '../event-store/event-envelope.js';
import type { Projection } from '../projections/projection.js';
import type { TimerOps, TimerRule } from './timer.js';

/**
 * Keeps scheduled_timers: what is due when, derived from events by the capabilities' rules.
 * Whether a timer fired is runtime state kept apart in timer_runs, so this table stays a pure
 * function of the events (a rebuild gives the same checksum and does not fire timers again).
 */
export class TimerProjection implements Projection {
  readonly name = 'timers';
  readonly tables = ['scheduled_timers'];
  readonly eventTypes: readonly string[];

  constructor(private readonly rules: readonly TimerRule[]) {
    this.eventTypes = [...new Set(rules.flatMap((r) => r.eventTypes))];
  }

  async apply(event: RecordedEvent, manager: EntityManager): Promise<void> {
    const ops = timerOps(manager);
    for (const rule of this.rules) {
      if (rule.eventTypes.includes(event.type)) await rule.on(event, ops);
    }
  }
}

function timerOps(manager: EntityManager): TimerOps {
  return {
    async schedule({ timerId, kind, dueAt, payload }) {
      await manager.query(
        `INSERT INTO scheduled_timers (timer_id, kind, due_at, payload) VALUES ($1, $2, $3, $4)
         ON CONFLICT (timer_id) DO UPDATE SET kind = excluded.kind, due_at = excluded.due_at,
           payload = excluded.payload`,
        [timerId, kind, dueAt.toISOString(), JSON.stringify(payload)],
      );
    },
    async cancel(timerId) {
      await manager.query('DELETE FROM scheduled_timers WHERE timer_id = $1', [timerId]);
    },
  };
}
