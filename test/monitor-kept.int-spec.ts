import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ANY } from '#libs/event-store/expected-version.js';
import { rebuildBlueGreen } from '#libs/projections/blue-green-rebuild.js';
import { ProjectionRunner } from '#libs/projections/projection-runner.js';
import {
  benchInfrastructure,
  generateDataSet,
  type DataSet,
} from '../bench/generator/generate-data-set.js';
import type { Infrastructure } from '../src/core/infrastructure.js';
import { EscalationProjection } from '../src/escalations/escalation.projection.js';
import { FamilyProjection } from '../src/families/family.projection.js';
import { MonitorFacts1732000019000 } from '../src/monitor/monitor-facts.migration.js';
import { MonitorFactsProjection } from '../src/monitor/monitor-facts.projection.js';
import { PlanProjection } from '../src/plans/plan.projection.js';
import { TeamProjection } from '../src/teams/team.projection.js';
import { expectTheOldMonitor } from './support/monitor-oracle.js';
import { readerOfTables } from './support/table-reader.js';
import { createTestDatabase } from './support/test-database.js';

const DAY = 86_400_000;

/**
 * The kept monitor (monitor-facts.projection.ts) against the old query over the other
 * capabilities' read models (kept in test/support/old-monitor-query.ts): a generated
 * municipality, then what the generator does not do (teams created after their families or
 * created again in another wijk, plans reopened, closed, agreed and changed in one batch,
 * goals changed after agreement or added twice, escalations reopened, escalated, withdrawn and
 * raised again, a plan of a family registered only later), compared for every period of every
 * year with data, both groupings; then rebuilds, also blue-green, give the live checksum and
 * the same figures, and so does the migration on an upgraded database.
 */
describe('the kept policy monitor', () => {
  let url: string;
  let infra: Infrastructure;
  let data: DataSet;
  let runner: ProjectionRunner;
  let reader: Awaited<ReturnType<typeof readerOfTables>>;

  const projections = () => [
    new FamilyProjection(),
    new PlanProjection(),
    new EscalationProjection(),
    new TeamProjection(),
    new MonitorFactsProjection(),
  ];

  async function append(streamId: string, type: string, payload: object, at: string) {
    await infra.eventStore.appendToStream(
      streamId,
      [
        {
          type,
          data: payload,
          metadata: {
            eventId: randomUUID(),
            correlationId: randomUUID(),
            actor: { userId: 'system' },
            occurredAt: at,
            municipality: 'almere',
          },
        },
      ],
      { expectedVersion: ANY },
    );
  }

  const catchUp = async (r = runner) => {
    for (const name of r.names) await r.catchUp(name);
  };

  beforeAll(async () => {
    url = await createTestDatabase('monitor_kept');
    infra = await benchInfrastructure(url);
    data = await generateDataSet(infra, { families: 30, targetEvents: 3_000, seed: 19 });
    // Small batches: the projection folds in memory per batch and writes in flush.
    runner = new ProjectionRunner(infra.dataSource, infra.eventStore, projections(), infra.clock, {
      batchSize: 7,
      onError: 'stop',
    });
    await catchUp();
    reader = await readerOfTables(infra.dataSource, url, 'monitor_');
  }, 300_000);

  afterAll(async () => {
    await reader?.close();
    await infra?.close();
  });

  it('gives every period of every year what the old query gave, on a generated municipality', async () => {
    const seen = await expectTheOldMonitor(infra.dataSource, reader.dataSource, infra.clock);
    const all = seen.flatMap((y) => y.months.flatMap((m) => m.parts));
    expect(all.some((p) => p.activeCases > 0)).toBe(true);
    expect(all.some((p) => p.plansAgreed > 0)).toBe(true);
    expect(seen.some((y) => y.medians.overall !== null)).toBe(true);
  }, 300_000);

  it('follows teams, reopenings, closures, goal changes and escalation steps', async () => {
    const at = data.simulatedUntil;
    const year = new Date(at).getUTCFullYear() + 1;
    const date = (month: number, day: number) =>
      new Date(Date.UTC(year, month - 1, day, 10)).toISOString();
    const later = (iso: string, days: number) =>
      new Date(Date.parse(iso) + days * DAY).toISOString();
    const plan = (familyId: string, type: string, payload: object) =>
      append(`gezinsplan-${familyId}`, `gezinsplan.${type}`, payload, at);
    const goal = (goalId: string, lifecycleStatus: string) => ({
      goalId,
      familyWording: 'Rust in huis',
      concerns: [],
      lifeDomain: 'parenting',
      lifecycleStatus,
      achievementStatus: 'in_progress',
    });
    /** A plan with goals in the lifecycles given, agreed after `agreedAfter` days (or not). */
    async function openPlan(
      familyId: string,
      openedAt: string,
      lifecycles: string[],
      agreedAfter: number | null,
    ) {
      const planId = randomUUID();
      await plan(familyId, 'PlanOpened', { planId, familyId, openedAt });
      for (const lifecycle of lifecycles) {
        const goalId = randomUUID();
        await plan(familyId, 'GoalAdded', { planId, goal: goal(goalId, 'proposed') });
        await plan(familyId, 'GoalChanged', { planId, goalId, lifecycleStatus: lifecycle });
      }
      if (agreedAfter !== null) {
        await plan(familyId, 'PlanAgreed', {
          planId,
          version: 1,
          agreedAt: later(openedAt, agreedAfter),
        });
      }
      return planId;
    }
    const register = (familyId: string, teamId: string) =>
      append(
        `family-${familyId}`,
        'family.FamilyRegistered',
        { familyId, teamId, members: [], network: [] },
        at,
      );
    const createTeam = (teamId: string, wijk: string, stadsdeel: string) =>
      append(
        `team-${teamId}`,
        'team.TeamCreated',
        { teamId, name: `SLT ${wijk}`, wijk, stadsdeel },
        at,
      );

    // Families of a team that does not exist yet (onbekend), then the team, in a new wijk.
    const lateTeam = randomUUID();
    const lateFamilies = Array.from({ length: 7 }, () => randomUUID());
    for (const [i, familyId] of lateFamilies.entries()) {
      await register(familyId, lateTeam);
      await openPlan(
        familyId,
        date(2 + (i % 2), 3 + i),
        ['active', 'achieved'],
        i < 5 ? i * 3 : null,
      );
    }
    // A plan of a family that registers only after it (not counted until then).
    const unregistered = randomUUID();
    await openPlan(unregistered, date(2, 20), ['achieved'], 4);
    await catchUp();
    await expectTheOldMonitor(infra.dataSource, reader.dataSource, infra.clock);

    await createTeam(lateTeam, 'Laatstewijk', 'Almere Later');
    await register(unregistered, data.teams[1].teamId);
    // A team created again, in another wijk and stadsdeel: its cases move with it.
    await createTeam(data.teams[0].teamId, 'Verhuisd', 'Almere Elders');
    await catchUp();
    await expectTheOldMonitor(infra.dataSource, reader.dataSource, infra.clock);

    // Closed plans reopened (a new plan in the same stream), with events of the old plan after.
    const closed: Array<{ family_id: string; plan_id: string }> = await infra.dataSource.query(
      `SELECT family_id, plan_id FROM plan_views WHERE status = 'closed' ORDER BY family_id LIMIT 4`,
    );
    expect(closed.length).toBeGreaterThan(1);
    for (const [i, c] of closed.entries()) {
      await openPlan(c.family_id, date(3, 1 + i), ['active', 'not_achieved', 'cancelled'], 10 + i);
      await plan(c.family_id, 'PlanAgreed', { planId: c.plan_id, version: 9, agreedAt: at });
      await plan(c.family_id, 'PlanClosed', { planId: c.plan_id, reason: 'other', closedAt: at });
    }
    // Open plans: goals changed after agreement, added twice, unknown; one version reopened;
    // some closed; one closed and reopened at once.
    const open: Array<{ family_id: string; plan_id: string; goals: string[]; status: string }> =
      await infra.dataSource.query(
        `SELECT family_id, plan_id, status,
                array(SELECT g->>'goalId' FROM jsonb_array_elements(document->'goals') g) AS goals
           FROM plan_views WHERE status <> 'closed' ORDER BY family_id LIMIT 8`,
      );
    expect(open.filter((o) => o.goals.length > 0).length).toBeGreaterThan(2);
    for (const [i, o] of open.entries()) {
      const planId = o.plan_id;
      for (const [g, goalId] of o.goals.entries()) {
        const lifecycle = ['achieved', 'not_achieved', 'cancelled', 'active'][(i + g) % 4];
        await plan(o.family_id, 'GoalChanged', { planId, goalId, lifecycleStatus: lifecycle });
      }
      if (o.goals[0]) {
        await plan(o.family_id, 'GoalAdded', { planId, goal: goal(o.goals[0], 'active') });
        await plan(o.family_id, 'GoalChanged', { planId, goalId: o.goals[0], targetDate: at });
      }
      await plan(o.family_id, 'GoalChanged', {
        planId,
        goalId: randomUUID(),
        lifecycleStatus: 'achieved',
      });
      if (i % 4 === 0) await plan(o.family_id, 'PlanVersionOpened', { planId, version: 7 });
      if (i % 4 === 1)
        await plan(o.family_id, 'PlanClosed', { planId, reason: 'other', closedAt: at });
      if (i % 4 === 2) {
        await plan(o.family_id, 'PlanClosed', { planId, reason: 'other', closedAt: at });
        await openPlan(o.family_id, date(4, 9), ['achieved', 'achieved'], 0);
      }
    }

    // Escalations: ended ones reopened; then open ones escalated, withdrawn or raised again.
    const escalations = (): Promise<
      Array<{ escalation_id: string; family_id: string; level: number; status: string }>
    > =>
      infra.dataSource.query(
        'SELECT escalation_id, family_id, level, status FROM escalation_views ORDER BY escalation_id',
      );
    const deadlines = { respondBy: null, resolveBy: at };
    const step = (escalationId: string, type: string, payload: object) =>
      append(`escalation-${escalationId}`, `escalation.${type}`, { escalationId, ...payload }, at);
    const escalate = (escalationId: string, fromLevel: number) =>
      step(escalationId, 'Escalated', {
        fromLevel,
        toLevel: fromLevel + 1,
        reason: 'vastgelopen',
        automatic: false,
        holder: null,
        deadlines,
        escalatedAt: at,
      });
    const ended = (await escalations()).filter((e) => e.status !== 'open');
    expect(ended.length).toBeGreaterThan(3);
    for (const [i, e] of ended.entries()) {
      if (i % 4 === 3) continue;
      await step(e.escalation_id, 'Reopened', {
        reason: 'terug',
        level: e.level,
        deadlines,
        reopenedAt: at,
      });
    }
    await catchUp();
    const reopened = (await escalations()).filter((e) => e.status === 'open');
    for (const [i, e] of reopened.entries()) {
      if (i % 5 === 0 && e.level < 2) await escalate(e.escalation_id, e.level);
      if (i % 5 === 1 && e.level === 0) {
        await escalate(e.escalation_id, 0);
        await escalate(e.escalation_id, 1);
      }
      if (i % 5 === 2)
        await step(e.escalation_id, 'Withdrawn', { reason: 'klaar', withdrawnAt: at });
      if (i % 5 === 3) {
        // Raised again: back at level 0, with the first team and moment (as escalation_views).
        await step(e.escalation_id, 'SignalRaised', {
          familyId: e.family_id,
          teamId: randomUUID(),
          signalId: randomUUID(),
          category: 'other',
          description: 'opnieuw',
          automatic: false,
          cause: null,
          raisedBy: 'system',
          holder: null,
          deadlines,
          raisedAt: date(5, 5),
        });
      }
    }
    await catchUp();
    const seen = await expectTheOldMonitor(infra.dataSource, reader.dataSource, infra.clock);
    const parts = seen.flatMap((y) => y.months.flatMap((m) => m.parts));
    expect(parts.map((p) => p.wijk)).toEqual(expect.arrayContaining(['Laatstewijk', 'Verhuisd']));
    expect(parts.some((p) => p.escalationsLevel0 > 0)).toBe(true);
    expect(parts.some((p) => p.escalationsLevel1 + p.escalationsLevel2 > 0)).toBe(true);
    const overall = seen.flatMap((y) => y.months.map((m) => m.overall));
    expect(overall.some((o) => o.goalsAssessed > o.goalsAchieved && o.goalsAchieved > 0)).toBe(
      true,
    );
  }, 600_000);

  it('rebuilds in other batch sizes, and blue-green, to the live checksum and the same figures', async () => {
    const live = await runner.checksum('monitor');
    const other = new ProjectionRunner(
      infra.dataSource,
      infra.eventStore,
      projections(),
      infra.clock,
      {
        batchSize: 500,
        onError: 'stop',
      },
    );
    expect((await other.rebuild('monitor')).checksum).toBe(live);
    expect((await runner.rebuild('monitor')).checksum).toBe(live);
    await reader.close();
    const result = await rebuildBlueGreen(other, infra.dataSource, ['monitor'], {
      databaseUrl: url,
    });
    expect(result.switched).toEqual(['monitor']);
    expect(await runner.checksum('monitor')).toBe(live);
    // The switch put new tables in place: the reader is granted them anew.
    reader = await readerOfTables(infra.dataSource, url, 'monitor_');
    await expectTheOldMonitor(infra.dataSource, reader.dataSource, infra.clock);
  }, 600_000);

  it('fills its tables on an upgraded database as a rebuild would, when its sources stand together', async () => {
    const sources = ['families', 'plans', 'teams', 'escalations'];
    const tables = new MonitorFactsProjection().tables;
    const position = async (names: string[]) =>
      (
        await infra.dataSource.query(
          `SELECT array_agg(DISTINCT commit_pos::text || '-' || prepare_pos::text) AS at
             FROM projection_checkpoints WHERE name = ANY($1)`,
          [names],
        )
      )[0].at as string[] | null;
    /** As before the upgrade: neither the monitor's tables nor its checkpoint; then migrate. */
    async function upgrade() {
      await reader.close();
      await infra.dataSource.query(`DROP TABLE ${tables.join(', ')}`);
      await infra.dataSource.query(`DELETE FROM projection_checkpoints WHERE name = 'monitor'`);
      const migration = infra.dataSource.createQueryRunner();
      try {
        await migration.startTransaction();
        await new MonitorFacts1732000019000().up(migration);
        await migration.commitTransaction();
      } finally {
        await migration.release();
      }
      reader = await readerOfTables(infra.dataSource, url, 'monitor_');
    }
    const open: Array<{ family_id: string; plan_id: string }> = await infra.dataSource.query(
      `SELECT family_id, plan_id FROM plan_views WHERE status <> 'closed' ORDER BY family_id LIMIT 2`,
    );
    const close = (i: number) =>
      append(
        `gezinsplan-${open[i].family_id}`,
        'gezinsplan.PlanClosed',
        { planId: open[i].plan_id, reason: 'other', closedAt: data.simulatedUntil },
        data.simulatedUntil,
      );

    const live = await runner.checksum('monitor');
    expect((await position(sources))!.length).toBe(1);
    await upgrade();
    expect(await runner.checksum('monitor')).toBe(live);
    expect(await position(['monitor'])).toEqual(await position(sources));
    // It goes on from there.
    await close(0);
    await catchUp();
    await expectTheOldMonitor(infra.dataSource, reader.dataSource, infra.clock);

    // The plans ahead of the others: nothing is filled, and the history is replayed instead.
    await close(1);
    await runner.catchUp('plans');
    expect((await position(sources))!.length).toBe(2);
    await upgrade();
    expect(await position(['monitor'])).toBeNull();
    const [{ n }] = await infra.dataSource.query('SELECT count(*)::int AS n FROM monitor_plans');
    expect(n).toBe(0);
    await catchUp();
    await expectTheOldMonitor(infra.dataSource, reader.dataSource, infra.clock);
    const rebuilt = await runner.checksum('monitor');
    expect((await runner.rebuild('monitor')).checksum).toBe(rebuilt);
  }, 600_000);
});
