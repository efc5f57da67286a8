import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, SYSTEM_NAME, type AppConfig } from '../../config/app.config.js';
import { AccessLog } from '#libs/access-log/access-log.js';
import { AggregateRepository } from '#libs/aggregates/aggregate-repository.js';
import type { AccessPoint } from '#libs/access-log/access-point.decorator.js';
import type { AuthUser } from '#libs/auth/auth-user.js';
import { qualifiedTypeName, type RecordedEvent } from '#libs/event-store/event-envelope.js';
import { EVENT_STORE, type EventStore } from '#libs/event-store/event-store.port.js';
import { comparePositions, formatPosition, parsePosition } from '#libs/event-store/position.js';
import { notFound } from '#libs/http/problem-details.js';
import { FamilyViewQuery } from '../families/family-view.query.js';
import { evolveFamily, INITIAL_FAMILY_STATE, consentsOf } from '../families/family.evolve.js';
import type { FamilyEvent } from '../families/family.events.js';
import type { PlanEvent } from '../plans/plan.events.js';
import { evolvePlan, INITIAL_PLAN_STATE, type PlanState } from '../plans/plan.evolve.js';
import type { Plan } from '../plans/plan.model.js';
import { GezinsplanType } from '../plans/plan.aggregate.js';
import { NO_REGIE } from '../kernel/regie.js';
import { regieOf } from '../plans/plan.model.js';
import { PlanViewQuery } from '../plans/plan-view.query.js';
import type { FamilyRecord } from '../privacy/privacy-lens.js';
import { PrivacyLens } from '../privacy/privacy-lens.js';
import { pseudonymise } from './pseudonymise.js';
import { TamperEvidenceService } from './tamper-evidence.service.js';
import type { ConsentGrant } from '../privacy/viewer.js';

/** A family's escalation streams, then its erasure-request streams ($1 the family). */
export const FAMILY_STREAMS_SQL = `SELECT stream_id FROM audit_family_streams WHERE family_id = $1
  ORDER BY kind = 'erasure', stream_id`;

/**
 * The auditor's read side: every event of a family's streams in global order, the family and
 * plan as they were at any moment (folded by the aggregates' own evolve functions and shown
 * through the same views as today), and an export of the history.
 */
@Injectable()
export class AuditService {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(PrivacyLens) private readonly lens: PrivacyLens,
    @Inject(FamilyViewQuery) private readonly families: FamilyViewQuery,
    @Inject(PlanViewQuery) private readonly plans: PlanViewQuery,
    @Inject(AccessLog) private readonly accessLog: AccessLog,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(AggregateRepository) private readonly repository: AggregateRepository,
    @Inject(TamperEvidenceService) private readonly evidence: TamperEvidenceService,
  ) {}

  /** Only auditors replay case history; to anybody else the audit trail of a family is unknown. */
  assertAuditor(user: AuthUser): void {
    if (!user.roles.includes('auditor')) throw notFound('No family with this id');
  }

  /**
   * The family's own streams and those of its escalations and erasure requests, which the
   * audit's own projection lists (audit-family-streams.projection.ts).
   */
  async streamsOf(familyId: string): Promise<string[]> {
    const others: Array<{ stream_id: string }> = await this.dataSource.query(FAMILY_STREAMS_SQL, [
      familyId,
    ]);
    return [
      `family-${familyId}`,
      `gezinsplan-${familyId}`,
      ...others.map((s) => s.stream_id),
      `retention-${familyId}`,
    ];
  }

  /** Every event of the family up to a moment, in global order. */
  async events(familyId: string, toTime?: Date): Promise<RecordedEvent[]> {
    const streams = await this.streamsOf(familyId);
    const all = (
      await Promise.all(streams.map((s) => this.store.readStream(s, toTime ? { toTime } : {})))
    ).flat();
    if (!all.some((e) => e.streamId === `family-${familyId}`))
      throw notFound('No family with this id');
    return all.sort((a, b) => comparePositions(a.position, b.position));
  }

  async history(familyId: string, user: AuthUser, accessPoint: AccessPoint) {
    this.assertAuditor(user);
    const events = await this.events(familyId);
    await this.log('read', 'history', familyId, user, accessPoint);
    return {
      events: events.map((e) => ({
        position: formatPosition(e.position),
        streamId: e.streamId,
        streamVersion: e.streamVersion,
        type: qualifiedTypeName(e),
        occurredAt: e.metadata.occurredAt,
        recordedAt: e.recordedAt,
        actor: e.metadata.actor,
        onBehalfOf: e.metadata.onBehalfOf ?? null,
        correlationId: e.metadata.correlationId,
        data: pseudonymise(e.type, e.data),
      })),
    };
  }

  /**
   * The family and its plan as they were at `asOf`: the events recorded up to then, folded by
   * evolveFamily and evolvePlan, and shown through the views of today for this viewer.
   */
  async stateAsOf(
    familyId: string,
    asOf: Date,
    user: AuthUser,
    accessPoint?: AccessPoint,
    onProgress?: (done: number, total: number) => void,
  ) {
    this.assertAuditor(user);
    const family = await this.store.readStream(`family-${familyId}`, { toTime: asOf });
    if (family.length === 0) throw notFound('No family with this id');
    // Long plan histories start from the latest snapshot taken before the moment.
    const snapshot = await this.repository.snapshotAsOf<PlanState>(GezinsplanType, familyId, asOf);
    const plan = await this.store.readStream(`gezinsplan-${familyId}`, {
      toTime: asOf,
      fromVersion: snapshot ? snapshot.version + 1 : 0,
    });
    const events = [...family, ...plan];
    const state = this.fold(familyId, events, onProgress, snapshot?.state);
    const viewer = await this.lens.viewerOf(state.record, state.consents, [], user);
    if (accessPoint) await this.log('read', 'state', familyId, user, accessPoint);
    return {
      asOf: asOf.toISOString(),
      replayedEvents: events.length,
      fromSnapshotVersion: snapshot?.version ?? null,
      family: await this.families.render(viewer, state.record),
      plan: state.record.plan ? (await this.plans.render(state.record.plan, viewer)).body : null,
    };
  }

  /**
   * Tamper evidence: every stored event carries a hash over its content and its predecessor's
   * hash; the chain of each of the family's streams is recomputed and the first broken link,
   * in global order, is named. And the events are checked against the latest genuine seal
   * (family-evidence.ts): that holds even where someone recomputed every hash in the database.
   */
  async verification(familyId: string, user: AuthUser, accessPoint: AccessPoint) {
    this.assertAuditor(user);
    const streams = await this.streamsOf(familyId);
    const results = await Promise.all(
      streams.map(async (streamId) => ({ streamId, ...(await this.store.verifyStream(streamId)) })),
    );
    if (results[0].events === 0) throw notFound('No family with this id');
    await this.log('read', 'verification', familyId, user, accessPoint);
    const broken = results.flatMap((r) => (r.firstBroken ? [r.firstBroken] : []));
    broken.sort((a, b) => comparePositions(parsePosition(a.position)!, parsePosition(b.position)!));
    const sealed = await this.evidence.family(streams);
    return {
      valid: broken.length === 0 && sealed.problems.length === 0,
      events: results.reduce((n, r) => n + r.events, 0),
      firstBroken: broken[0] ?? null,
      streams: results
        .filter((r) => r.events > 0)
        .map(({ streamId, valid, events, firstBroken }) => ({
          streamId,
          valid,
          events,
          firstBroken: firstBroken ?? null,
        })),
      seal: sealed.seal ? { sealId: sealed.seal.sealId, events: sealed.seal.size } : null,
      unsealed: sealed.unsealed,
      problems: sealed.problems,
    };
  }

  /** The family's sealed events with their inclusion proofs, for an outsider's check. */
  async proof(familyId: string, user: AuthUser, accessPoint: AccessPoint, sealId?: string) {
    this.assertAuditor(user);
    const streams = await this.streamsOf(familyId);
    if ((await this.store.readStream(streams[0], { maxCount: 1 })).length === 0) {
      throw notFound('No family with this id');
    }
    const proof = await this.evidence.familyProof(familyId, streams, sealId);
    await this.log('read', 'proof', familyId, user, accessPoint);
    return proof;
  }

  /**
   * CloudEvents 1.0, structured JSON, one per line (for archive and audit tools), after the NL
   * GOV profile (zgw.md): `source` names the organisation by its OIN and this system; no
   * `subject`, and no context attribute holds personal data or a case id. Who acted, on whose
   * behalf, and which stream the event belongs to travel in `data`, next to the event's own
   * pseudonymised data, where an archive keeps them under the same protection as the case.
   */
  async export(familyId: string, user: AuthUser, accessPoint: AccessPoint): Promise<string[]> {
    this.assertAuditor(user);
    const events = await this.events(familyId);
    await this.log('export', 'history', familyId, user, accessPoint);
    const source = `urn:nld:oin:${this.config.organisationOin}:systeem:${SYSTEM_NAME}`;
    return events.map((e) =>
      JSON.stringify({
        specversion: '1.0',
        id: e.metadata.eventId,
        source,
        type: `nl.egep.${qualifiedTypeName(e)}`,
        time: e.metadata.occurredAt,
        datacontenttype: 'application/json',
        // Where the event stands in the store's order: numbers of the store, about nobody.
        egepposition: formatPosition(e.position),
        egepstreamversion: e.streamVersion,
        data: {
          streamId: e.streamId,
          actor: e.metadata.actor.userId,
          onBehalfOf: e.metadata.onBehalfOf ?? null,
          event: pseudonymise(e.type, e.data),
        },
      }),
    );
  }

  /** Folds the family and plan streams exactly as the aggregates do. */
  fold(
    familyId: string,
    events: readonly RecordedEvent[],
    onProgress?: (done: number, total: number) => void,
    planSnapshot: PlanState = INITIAL_PLAN_STATE,
  ) {
    let family = INITIAL_FAMILY_STATE;
    let plans = planSnapshot;
    const network: FamilyRecord['network'] = [];
    for (const [i, e] of events.entries()) {
      if (onProgress && i % 1000 === 0) onProgress(i, events.length);
      if (e.streamId === `family-${familyId}`) {
        const event = { type: e.type, data: e.data } as FamilyEvent;
        family = evolveFamily(family, event);
        if (event.type === 'family.FamilyRegistered') network.push(...event.data.network);
        if (event.type === 'family.NetworkMemberAdded') network.push(event.data);
      } else if (e.streamId === `gezinsplan-${familyId}`) {
        plans = evolvePlan(plans, { type: e.type, data: e.data } as PlanEvent);
      }
    }
    onProgress?.(events.length, events.length);
    const plan = plans.plan ?? null;
    const record: FamilyRecord<Plan> = {
      familyId,
      teamId: family.teamId ?? '',
      members: family.members.map((m) => ({ ...m })),
      network: network.map(({ networkId, relation, personal }) => ({
        networkId,
        relation,
        personal,
      })),
      address: family.address ?? null,
      caseTeam: [...family.caseTeam],
      plan,
      regie: plan && plan.status !== 'closed' ? regieOf(plan) : NO_REGIE,
    };
    return { record, consents: consentsOf(family) as unknown as ConsentGrant[] };
  }

  private log(
    action: 'read' | 'export',
    resource: string,
    familyId: string,
    user: AuthUser,
    accessPoint: AccessPoint,
  ) {
    return this.lens.memberIds(familyId).then((memberIds) =>
      this.accessLog.record({
        action,
        resource,
        familyId,
        memberIds,
        user,
        accessPoint,
        purpose: 'audit',
        rule: 'auditor',
      }),
    );
  }
}
