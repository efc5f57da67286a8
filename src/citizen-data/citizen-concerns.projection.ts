import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { RecordedEvent } from '#libs/event-store/event-envelope.js';
import type { Projection } from '#libs/projections/projection.js';
import { CONCERN_EVENT_TYPES, type ConcernEvent } from '../concerns/concern.events.js';
import { evolveConcern, type Concern } from '../concerns/concern.evolve.js';

/**
 * citizen-data's own fold of the concern events (it reads no other capability's tables): per
 * concern the folded state, and the member it is about once intake linked it to one or
 * registered a family from it (the first member registered). The description stays sealed
 * with the concern's key; it is opened when the member reads their data.
 */
@Injectable()
export class CitizenConcernsProjection implements Projection {
  readonly name = 'citizen-concerns';
  readonly tables = ['citizen_concerns'];
  readonly eventTypes = CONCERN_EVENT_TYPES;

  async apply(recorded: RecordedEvent, manager: EntityManager): Promise<void> {
    const event = recorded as unknown as RecordedEvent & ConcernEvent;
    const { concernId } = event.data;
    const [row]: Array<{ document: Concern }> = await manager.query(
      'SELECT document FROM citizen_concerns WHERE concern_id = $1',
      [concernId],
    );
    const concern = evolveConcern({ concern: row?.document ?? null }, event).concern;
    if (!concern) return;
    if (concern.status === 'destroyed') {
      // Nothing of it can be opened any more: it is no part of anybody's data.
      await manager.query('DELETE FROM citizen_concerns WHERE concern_id = $1', [concernId]);
      return;
    }
    await manager.query(
      `INSERT INTO citizen_concerns (concern_id, member_id, document) VALUES ($1, $2, $3)
       ON CONFLICT (concern_id) DO UPDATE SET member_id = excluded.member_id,
         document = excluded.document`,
      [concernId, concern.memberId, JSON.stringify(concern)],
    );
  }
}
