import { randomUUID } from 'node:crypto';
import type { AuthUser } from '#libs/auth/auth-user.js';
import { AuditService } from '../../src/audit/audit.service.js';
import { FamilyViewQuery } from '../../src/families/family-view.query.js';
import { GezinsplanType } from '../../src/plans/plan.aggregate.js';
import type { PlanState } from '../../src/plans/plan.evolve.js';
import { PlanViewQuery } from '../../src/plans/plan-view.query.js';
import { PrivacyLens } from '../../src/privacy/privacy-lens.js';
import { median } from './stats.js';
import type { BenchApp } from './time-travel-app.js';

export const AUDITOR: AuthUser = {
  sub: 'aud-1',
  name: 'Anna Audit',
  organisation: 'Auditdienst',
  roles: ['auditor'],
  teams: [],
};

/** The steps of AuditService.stateAsOf, in its order; "service" is the whole call. */
export const AS_OF_PARTS = [
  'family events',
  'snapshot lookup',
  'plan events',
  'fold',
  'viewer',
  'render family',
  'render plan',
  'access log',
  'whole service call',
  'check: latest snapshot by number, events, fold',
] as const;
type Part = (typeof AS_OF_PARTS)[number];

/**
 * Where the time of an as-of read goes: the same steps as AuditService.stateAsOf, each timed,
 * in this process (no HTTP), then the whole service call for comparison. Returns the median
 * milliseconds of each step over `runs`, and what the read replayed.
 */
export async function profileAsOf(bench: BenchApp, familyId: string, asOf: Date, runs: number) {
  const audit = bench.app.get(AuditService, { strict: false });
  const lens = bench.app.get(PrivacyLens, { strict: false });
  const families = bench.app.get(FamilyViewQuery, { strict: false });
  const plans = bench.app.get(PlanViewQuery, { strict: false });
  const { eventStore: store, repository } = bench.infra;
  const samples = new Map<Part, number[]>(AS_OF_PARTS.map((p) => [p, []]));
  let replayed = { events: 0, snapshotVersion: -1, snapshotBytes: 0 };
  let proposed = { events: 0, snapshotVersion: -1 };

  for (let run = 0; run < runs; run += 1) {
    let t = process.hrtime.bigint();
    const lap = (part: Part) => {
      const now = process.hrtime.bigint();
      samples.get(part)!.push(Number(now - t) / 1e6);
      t = now;
    };
    const family = await store.readStream(`family-${familyId}`, { toTime: asOf });
    lap('family events');
    const snapshot = await repository.snapshotAsOf<PlanState>(GezinsplanType, familyId, asOf);
    lap('snapshot lookup');
    const plan = await store.readStream(`gezinsplan-${familyId}`, {
      toTime: asOf,
      fromVersion: snapshot ? snapshot.version + 1 : 0,
    });
    lap('plan events');
    const state = audit.fold(familyId, [...family, ...plan], undefined, snapshot?.state);
    lap('fold');
    const viewer = await lens.viewerOf(state.record, state.consents, [], AUDITOR);
    lap('viewer');
    await families.render(viewer, state.record);
    lap('render family');
    if (state.record.plan) await plans.render(state.record.plan, viewer);
    lap('render plan');
    const accessPoint = {
      ip: '127.0.0.1',
      userAgent: 'bench',
      client: 'bench',
      correlationId: randomUUID(),
    };
    // What AuditService.log does: the family's member ids, then one INSERT that commits.
    await bench.infra.accessLog.record({
      action: 'read',
      resource: 'state',
      familyId,
      memberIds: await lens.memberIds(familyId),
      user: AUDITOR,
      accessPoint,
      purpose: 'audit',
      rule: 'auditor',
    });
    lap('access log');
    await audit.stateAsOf(familyId, asOf, AUDITOR, accessPoint);
    lap('whole service call');
    const fixed = await snapshotByNumber(bench, `gezinsplan-${familyId}`, asOf);
    const fromFixed = await store.readStream(`gezinsplan-${familyId}`, {
      toTime: asOf,
      fromVersion: fixed ? fixed.version + 1 : 0,
    });
    audit.fold(familyId, [...family, ...fromFixed], undefined, fixed?.state);
    lap('check: latest snapshot by number, events, fold');
    proposed = { events: family.length + fromFixed.length, snapshotVersion: fixed?.version ?? -1 };
    replayed = {
      events: family.length + plan.length,
      snapshotVersion: snapshot?.version ?? -1,
      snapshotBytes: snapshot ? Buffer.byteLength(JSON.stringify(snapshot.state)) : 0,
    };
  }
  const parts = Object.fromEntries(AS_OF_PARTS.map((p) => [p, median(samples.get(p)!)])) as Record<
    Part,
    number
  >;
  return { parts, replayed, proposed };
}

/**
 * AggregateRepository.snapshotAsOf with one change: the version is selected under another name.
 * There, `SELECT stream_version::text, …` names its text output "stream_version", and ORDER BY
 * prefers an output column to a table column of the same name, so snapshots sort as text
 * ("900" after "8900") and a time-travel read starts from the wrong, older snapshot.
 */
async function snapshotByNumber(bench: BenchApp, streamId: string, asOf: Date) {
  const rows: Array<{ version_text: string; state: PlanState }> =
    await bench.infra.dataSource.query(
      `SELECT stream_version::text AS version_text, state FROM aggregate_snapshot_history
        WHERE stream_id = $1 AND snapshot_version = $2 AND taken_at <= $3
        ORDER BY stream_version DESC LIMIT 1`,
      [streamId, GezinsplanType.snapshotVersion, asOf.toISOString()],
    );
  return rows[0] ? { state: rows[0].state, version: Number(rows[0].version_text) } : undefined;
}
