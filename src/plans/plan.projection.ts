import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { RecordedEvent } from '../../libs/event-store/event-envelope.js';
import type { Projection } from '../../libs/projections/projection.js';
import { PLAN_EVENT_TYPES, type PlanEvent } from './plan.events.js';
import { evolvePlan } from './plan.evolve.js';
import type { Plan } from './plan.model.js';

const familyIdOf = (streamId: string) => streamId.slice('gezinsplan-'.length);

/**
 * Folds plan events with the aggregate's own pure `evolvePlan`, so the view cannot disagree with
 * the rules. plan_views holds each family's current (or last) plan; plan_versions keeps every
 * version: a draft follows the plan, an agreed version is frozen at the moment of agreement.
 */
@Injectable()
export class PlanProjection implements Projection {
  readonly name = 'plans';
  readonly tables = ['plan_views', 'plan_versions'];
  readonly eventTypes = PLAN_EVENT_TYPES;

  async apply(recorded: RecordedEvent, manager: EntityManager): Promise<void> {
    const event = recorded as unknown as RecordedEvent & PlanEvent;
    const familyId = familyIdOf(recorded.streamId);
    const rows: Array<{ document: Plan }> = await manager.query(
      'SELECT document FROM plan_views WHERE family_id = $1',
      [familyId],
    );
    const plan = evolvePlan({ plan: rows[0]?.document }, event).plan;
    if (!plan) return;
    await manager.query(
      `INSERT INTO plan_views (family_id, plan_id, status, document, stream_version)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (family_id) DO UPDATE SET plan_id = excluded.plan_id, status = excluded.status,
         document = excluded.document, stream_version = excluded.stream_version`,
      [familyId, plan.planId, plan.status, JSON.stringify(plan), recorded.streamVersion],
    );
    const version = plan.versions.find((v) => v.version === plan.version)!;
    const frozen = plan.status === 'agreed' && event.type !== 'gezinsplan.PlanAgreed';
    if (frozen) return;
    await manager.query(
      `INSERT INTO plan_versions (plan_id, version, family_id, status, agreed_at, document)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (plan_id, version) DO UPDATE SET status = excluded.status,
         agreed_at = excluded.agreed_at, document = excluded.document
       WHERE plan_versions.status <> 'agreed'`,
      [plan.planId, plan.version, familyId, version.status, version.agreedAt, JSON.stringify(plan)],
    );
  }
}
