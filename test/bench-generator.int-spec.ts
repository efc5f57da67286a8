import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { formatPosition } from '#libs/event-store/position.js';
import { ProjectionRunner } from '#libs/projections/projection-runner.js';
import {
  BENCH_MASTER_KEY,
  benchInfrastructure,
  generateDataSet,
  type DataSet,
} from '../bench/generator/generate-data-set.js';
import type { Infrastructure } from '../src/core/infrastructure.js';
import { EscalationType } from '../src/escalations/escalation.aggregate.js';
import { FamilyType } from '../src/families/family.aggregate.js';
import { GezinsplanType } from '../src/plans/plan.aggregate.js';
import { teamDecider } from '../src/teams/team.decide.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { connect, createTestDatabase } from './support/test-database.js';

/**
 * The bench generator writes through the real event store: every stream must load into its
 * aggregate, and once the product's projections caught up, its read models and the team
 * dashboard must show what the generator says it made.
 */
describe('bench data generator', () => {
  let databaseUrl: string;
  let infra: Infrastructure;
  let data: DataSet;
  let app: TestApp;

  beforeAll(async () => {
    databaseUrl = await createTestDatabase('bench_gen');
    infra = await benchInfrastructure(databaseUrl);
    data = await generateDataSet(infra, { families: 24, targetEvents: 2_400, seed: 11 });
    app = await startTestApp({
      DATABASE_URL: databaseUrl,
      MASTER_KEY: BENCH_MASTER_KEY,
      // The dashboard counts as of the end of the simulated period.
      DEV_CLOCK_START: data.simulatedUntil,
    });
    const head = await app.infra.eventStore.headPosition();
    const caughtUp = await app.app.get(ProjectionRunner).waitFor(head!, 60_000);
    if (!caughtUp) throw new Error(`projections did not reach ${formatPosition(head!)}`);
  }, 180_000);

  afterAll(async () => {
    await app?.close();
    await infra?.close();
  });

  it('appends about the events asked for, and says how many', async () => {
    const db = await connect(databaseUrl);
    try {
      const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM events');
      expect(rows[0].n).toBe(data.events);
    } finally {
      await db.end();
    }
    expect(data.events).toBeGreaterThan(2_400 * 0.7);
    expect(data.events).toBeLessThan(2_400 * 1.3);
    expect(data.families).toHaveLength(24);
  });

  it('writes streams that every aggregate loads into the state the generator reports', async () => {
    for (const team of data.teams) {
      expect((await infra.repository.loadState(teamDecider, team.teamId))?.state.created).toBe(
        true,
      );
    }
    for (const family of data.families) {
      const state = (await infra.repository.load(FamilyType, family.familyId)).currentState;
      expect(state.teamId).toBe(family.teamId);
      expect(state.members.map((m) => m.memberId)).toEqual(family.memberIds);
      expect(state.caseTeam.map((p) => p.professionalId)).toContain(family.casusregisseurSub);
      const plans = await infra.repository.tryLoad(GezinsplanType, family.familyId);
      expect(plans?.plan?.status ?? null).toBe(family.planStatus);
      const open: number[] = [];
      for (const id of family.escalationIds) {
        const e = (await infra.repository.load(EscalationType, id)).escalation!;
        expect(e.familyId).toBe(family.familyId);
        if (e.status === 'open') open.push(e.level);
      }
      expect(open).toEqual(family.openEscalationLevels);
    }
  });

  it('is varied: plans agreed and closed, signals that climbed the ladder, teenagers turning 18', async () => {
    const db = await connect(databaseUrl);
    try {
      const { rows } = await db.query<{ type: string }>('SELECT DISTINCT type FROM events');
      const types = rows.map((r) => r.type);
      for (const type of [
        'gezinsplan.PlanAgreed',
        'gezinsplan.ProgressNoteAdded',
        'gezinsplan.ActionCompleted',
        'gezinsplan.PlanVersionOpened',
        'gezinsplan.PlanClosed',
        'escalation.SignalRaised',
        'escalation.Escalated',
        'family.MemberCameOfAge',
        'family.ConsentGranted',
      ]) {
        expect(types).toContain(type);
      }
    } finally {
      await db.end();
    }
  });

  it("agrees with the product's read models: families, plans, open escalations", async () => {
    const db = await connect(databaseUrl);
    try {
      const families = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM family_views');
      expect(families.rows[0].n).toBe(data.families.length);
      const plans = await db.query<{ family_id: string; status: string }>(
        'SELECT family_id, status FROM plan_views',
      );
      const planStatus = new Map(plans.rows.map((r) => [r.family_id, r.status]));
      for (const family of data.families) {
        expect(planStatus.get(family.familyId) ?? null).toBe(family.planStatus);
      }
      const open = await db.query<{ family_id: string; level: number }>(
        `SELECT family_id, level FROM escalation_views WHERE status = 'open' ORDER BY family_id, level`,
      );
      const expected = data.families
        .flatMap((f) => f.openEscalationLevels.map((level) => ({ family_id: f.familyId, level })))
        .sort((a, b) => a.family_id.localeCompare(b.family_id) || a.level - b.level);
      expect(open.rows).toEqual(expected);
    } finally {
      await db.end();
    }
  });

  it('gives each team dashboard the figures of its generated families, to its professionals', async () => {
    for (const team of data.teams) {
      const families = data.families.filter((f) => f.teamId === team.teamId);
      if (families.length === 0) continue;
      const token = await app.token({
        ...team.professionals[0],
        roles: ['professional'],
        teams: [team.teamId],
      });
      const response = await app.http
        .get(`/api/v1/teams/${team.teamId}/dashboard`)
        .set('authorization', `Bearer ${token}`)
        .expect(200);
      const active = families.filter((f) => f.planStatus !== null && f.planStatus !== 'closed');
      const levels = families.flatMap((f) => f.openEscalationLevels);
      expect(response.body.team).toEqual({
        name: team.name,
        wijk: team.wijk,
        stadsdeel: team.stadsdeel,
      });
      expect(response.body.activeCases).toBe(active.length);
      expect(response.body.plansAwaitingAgreement).toBe(
        active.filter((f) => f.planStatus === 'draft').length,
      );
      expect(response.body.escalationsByLevel).toEqual({
        '0': levels.filter((l) => l === 0).length,
        '1': levels.filter((l) => l === 1).length,
        '2': levels.filter((l) => l === 2).length,
      });
      const counted = Object.values(response.body.membersByAgeBand as Record<string, number>);
      expect(counted.reduce((a, b) => a + b, 0)).toBe(
        active.reduce((sum, f) => sum + f.currentMembers, 0),
      );
    }
  });

  it("gives each team its wijk's own postcode areas: a concern about a resident reaches its intake", async () => {
    const areas = data.teams.flatMap((t) => t.postcodeAreas);
    expect(data.teams.every((t) => t.postcodeAreas.length > 0)).toBe(true);
    expect(new Set(areas).size).toBe(areas.length);
    const team = data.teams[data.teams.length - 1];
    const reporter = await app.token({ sub: 'bench-spec-reporter', organisation: 'Ymere' });
    const { body } = await app.http
      .post('/api/v1/concerns')
      .set('authorization', `Bearer ${reporter}`)
      .send({
        subject: {
          familyName: 'Bewoner',
          dateOfBirth: '1979-04-12',
          postcode: `${team.postcodeAreas[0]} AB`,
          houseNumber: '1',
        },
        category: 'rent_arrears',
        urgency: 'normal',
        description: 'Huurachterstand',
      })
      .expect(201);
    const intake = await app.token({
      ...team.professionals[0],
      roles: ['professional'],
      teams: [team.teamId],
    });
    const queue = await app.http
      .get(`/api/v1/teams/${team.teamId}/concerns`)
      .set('authorization', `Bearer ${intake}`)
      .set('X-Consistent-After', body.position)
      .expect(200);
    expect(queue.body.items.map((i: { concernId: string }) => i.concernId)).toEqual([
      body.concernId,
    ]);
  });

  it("lets a casusregisseur's dev token read the family and its plan", async () => {
    const family = data.families.find((f) => f.planStatus === 'agreed')!;
    const team = data.teams.find((t) => t.teamId === family.teamId)!;
    const person = [...team.professionals].find((p) => p.sub === family.casusregisseurSub);
    const token = await app.token({
      sub: family.casusregisseurSub,
      name: person?.name ?? 'Casusregisseur',
      organisation: person?.organisation ?? team.name,
      roles: ['professional'],
      teams: [team.teamId],
    });
    const view = await app.http
      .get(`/api/v1/families/${family.familyId}`)
      .set('authorization', `Bearer ${token}`)
      .expect(200);
    expect(view.body.familyId ?? view.body.id).toBe(family.familyId);
    await app.http
      .get(`/api/v1/families/${family.familyId}/plan`)
      .set('authorization', `Bearer ${token}`)
      .expect(200);
  });
});
