import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { toDateString } from '#libs/clock/calendar.js';
import { ProjectionRunner } from '#libs/projections/projection-runner.js';
import {
  evolveEscalation,
  INITIAL_ESCALATION_STATE,
  type EscalationState,
} from '../src/escalations/escalation.evolve.js';
import type { EscalationEvent } from '../src/escalations/escalation.events.js';
import {
  evolveFamily,
  INITIAL_FAMILY_STATE,
  type FamilyState,
} from '../src/families/family.evolve.js';
import type { FamilyEvent } from '../src/families/family.events.js';
import type { PlanEvent } from '../src/plans/plan.events.js';
import { evolvePlan, INITIAL_PLAN_STATE, type PlanState } from '../src/plans/plan.evolve.js';
import { computeTeamFigures, type DashboardFamily } from '../src/teams/team-dashboard.js';
import { httpSession, type HttpSession } from './support/http-session.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/** Ages just around the bands' edges (and some in between), so that moving the clock moves bands. */
const AGES = [0, 3, 4, 11, 12, 17, 18, 22, 23, 40, 64, 65, 80];
const PROFESSIONALS = [
  { professionalId: 'prof-ann', name: 'Ann' },
  { professionalId: 'prof-bob', name: 'Bob' },
  { professionalId: 'prof-bob', name: 'Bobby' },
  { professionalId: 'prof-cas', name: 'Cas' },
];

const born = fc.record({
  years: fc.constantFrom(...AGES),
  days: fc.integer({ min: -40, max: 40 }),
});
const pick = fc.nat({ max: 20 });

/** One thing that can happen to a team's cases; a step that the rules refuse is just refused. */
const step = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('register'),
      members: fc.array(born, { minLength: 1, maxLength: 3 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('addMember'), f: pick, born }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('depart'), f: pick, m: pick }) },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('join'), f: pick, p: fc.nat({ max: 3 }) }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('openPlan'), f: pick }) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('action'),
      f: pick,
      dueIn: fc.integer({ min: -20, max: 50 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('complete'), f: pick, a: pick }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('sign'), f: pick }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('evaluate'), f: pick }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('close'), f: pick }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('signal'), f: pick }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('escalate'), e: pick }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('withdraw'), e: pick }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('erase'), f: pick, m: pick }) },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant('clock'), days: fc.integer({ min: 1, max: 40 }) }),
  },
);
type Step = typeof step extends fc.Arbitrary<infer S> ? S : never;

/** Every figure moves at least once in this one: a band edge, a due date, an evaluation, an erasure. */
const SCRIPTED: Step[] = [
  {
    kind: 'register',
    members: [
      { years: 40, days: 0 },
      { years: 4, days: 5 },
      { years: 18, days: 20 },
    ],
  },
  { kind: 'join', f: 0, p: 1 },
  { kind: 'openPlan', f: 0 },
  { kind: 'action', f: 0, dueIn: -3 },
  { kind: 'action', f: 0, dueIn: 10 },
  { kind: 'sign', f: 0 },
  { kind: 'signal', f: 0 },
  { kind: 'escalate', e: 0 },
  { kind: 'register', members: [{ years: 65, days: 30 }] },
  { kind: 'join', f: 1, p: 2 },
  { kind: 'openPlan', f: 1 },
  { kind: 'clock', days: 8 },
  { kind: 'erase', f: 0, m: 2 },
  { kind: 'clock', days: 30 },
  { kind: 'complete', f: 0, a: 0 },
  { kind: 'clock', days: 70 },
];

interface Family {
  familyId: string;
  memberIds: string[];
  actionIds: string[];
}

/**
 * The kept dashboard (team-dashboard.projection.ts) against computeTeamFigures over the events:
 * random sequences of commands and clock moves on fresh teams, compared after every clock move
 * and at the end; then a rebuild gives the live checksum, twice, and the same figures.
 */
describe('the kept team dashboard', () => {
  let t: TestApp;
  let session: HttpSession;
  let admin: string;
  let officer: string;
  const datesOfBirth = new Map<string, string>();
  const teams: string[] = [];
  let clockMoves = 0;

  beforeAll(async () => {
    t = await startTestApp();
    session = httpSession(t);
    admin = await t.token({ sub: 'admin-1', roles: ['admin'], teams: [] });
    officer = await t.token({ sub: 'po-1', roles: ['privacy_officer'], teams: [] });
  });
  afterAll(async () => t?.close());

  /** Posts a step's command: its body if the rules accept it, undefined if they refuse (4xx). */
  async function send(token: string, path: string, body: object) {
    const response = await session.attempt(token, 'post', path, body);
    return response.status < 300 ? response.body : undefined;
  }

  function bornAgo({ years, days }: { years: number; days: number }): string {
    const date = t.infra.clock.now();
    date.setUTCFullYear(date.getUTCFullYear() - years);
    date.setUTCDate(date.getUTCDate() + days);
    return toDateString(date);
  }

  /** Read by the team's lead: admins get 404 for a team nothing is known of yet. */
  const leads = new Map<string, string>();
  const dashboard = async (teamId: string) =>
    (await session.read(leads.get(teamId)!, `/api/v1/teams/${teamId}/dashboard`).expect(200)).body;

  /** The figures computed from every stored event, the dates of birth sent and the clock. */
  async function expected(teamId: string) {
    const families = new Map<string, FamilyState>();
    const plans = new Map<string, PlanState>();
    const escalations = new Map<string, EscalationState>();
    const erased = new Set<string>();
    let profile = { name: null, wijk: null, stadsdeel: null } as Record<string, string | null>;
    const events: Array<{ type: string; data: Record<string, unknown>; stream_id: string }> =
      await t.infra.dataSource.query(
        'SELECT type, data, stream_id FROM events ORDER BY transaction_id, seq',
      );
    for (const e of events) {
      const event = { type: e.type, data: e.data };
      if (e.stream_id.startsWith('family-')) {
        const id = e.stream_id.slice('family-'.length);
        families.set(
          id,
          evolveFamily(families.get(id) ?? INITIAL_FAMILY_STATE, event as unknown as FamilyEvent),
        );
      } else if (e.stream_id.startsWith('gezinsplan-')) {
        const id = e.stream_id.slice('gezinsplan-'.length);
        plans.set(
          id,
          evolvePlan(plans.get(id) ?? INITIAL_PLAN_STATE, event as unknown as PlanEvent),
        );
      } else if (e.stream_id.startsWith('escalation-')) {
        const state = escalations.get(e.stream_id) ?? INITIAL_ESCALATION_STATE;
        escalations.set(e.stream_id, evolveEscalation(state, event as unknown as EscalationEvent));
      } else if (e.type === 'erasure.ErasureGranted' || e.type === 'erasure.RetentionExpired') {
        for (const subject of e.data.subjects as string[]) erased.add(subject);
      } else if (e.type === 'team.TeamCreated' && e.data.teamId === teamId) {
        const { name, wijk, stadsdeel } = e.data as Record<string, string>;
        profile = { name, wijk, stadsdeel };
      }
    }
    const ofTeam = [...families].filter(([, f]) => f.teamId === teamId);
    const dashboardFamilies: DashboardFamily[] = ofTeam.map(([familyId, f]) => {
      const plan = plans.get(familyId)?.plan;
      return {
        familyId,
        plan: plan ?? null,
        members: f.members.map((m) => ({
          memberId: m.memberId,
          status: m.status,
          dateOfBirth: erased.has(m.memberId) ? null : datesOfBirth.get(m.memberId)!,
        })),
        caseTeam: f.caseTeam,
      };
    });
    const levels = [...escalations.values()]
      .map((s) => s.escalation!)
      .filter((e) => e.status === 'open' && families.get(e.familyId)?.teamId === teamId)
      .map((e) => e.level);
    const now = t.infra.clock.now();
    return {
      teamId,
      team: profile,
      asOf: toDateString(now),
      ...computeTeamFigures({
        families: dashboardFamilies,
        openEscalationLevels: levels,
        today: now,
        evaluationIntervalMonths: 3,
      }),
    };
  }

  /** Runs the steps on a fresh team, comparing the dashboard after each clock move and at the end. */
  async function run(steps: Step[]): Promise<void> {
    // Every other team is created; the others are known only from their families.
    const team =
      teams.length % 2 === 0
        ? randomUUID()
        : (await send(admin, '/api/v1/teams', { name: 'SLT', wijk: 'W', stadsdeel: 'S' })).teamId;
    teams.push(team);
    const sanne = await t.token({ sub: 'prof-sanne', name: 'Sanne', teams: [team] });
    const lead = await t.token({ sub: 'lead', name: 'Lotte', roles: ['team_lead'], teams: [team] });
    leads.set(team, lead);
    const families: Family[] = [];
    const escalations: string[] = [];
    const family = (i: number) => families[i % families.length];
    const plan = (f: Family, rest = '') => `/api/v1/families/${f.familyId}/plan${rest}`;
    const member = (m: { years: number; days: number }, i: number) => {
      const dateOfBirth = bornAgo(m);
      return {
        givenName: `G${i}`,
        familyName: 'F',
        dateOfBirth,
        role: m.years < 18 ? 'child' : 'parent',
      };
    };

    for (const s of steps) {
      if (s.kind === 'register') {
        const members = s.members.map(member);
        const body = await send(sanne, '/api/v1/families', { teamId: team, members });
        if (!body) continue;
        members.forEach((m, i) => datesOfBirth.set(body.memberIds[i], m.dateOfBirth));
        families.push({ familyId: body.familyId, memberIds: body.memberIds, actionIds: [] });
        continue;
      }
      if (s.kind === 'clock') {
        clockMoves += 1;
        await session.advanceDays(s.days);
        expect(await dashboard(team)).toEqual(await expected(team));
        continue;
      }
      if (s.kind === 'escalate' || s.kind === 'withdraw') {
        if (escalations.length === 0) continue;
        const id = escalations[s.e % escalations.length];
        const reason = { reason: 'Geen voortgang binnen de termijn' };
        await send(
          lead,
          `/api/v1/escalations/${id}/${s.kind === 'escalate' ? 'escalation' : 'withdrawal'}`,
          reason,
        );
        continue;
      }
      if (families.length === 0) continue;
      const f = family(s.f);
      switch (s.kind) {
        case 'addMember': {
          const m = member(s.born, 9);
          const body = await send(sanne, `/api/v1/families/${f.familyId}/members`, m);
          if (body) {
            datesOfBirth.set(body.memberId, m.dateOfBirth);
            f.memberIds.push(body.memberId);
          }
          break;
        }
        case 'depart':
          await send(
            sanne,
            `/api/v1/families/${f.familyId}/members/${f.memberIds[s.m % f.memberIds.length]}/departure`,
            {},
          );
          break;
        case 'join': {
          const p = PROFESSIONALS[s.p];
          await send(sanne, `/api/v1/families/${f.familyId}/case-team`, {
            ...p,
            organisation: 'SLT',
            discipline: 'SLT',
          });
          break;
        }
        case 'openPlan':
          await send(sanne, plan(f), {});
          break;
        case 'action': {
          const goal = await send(sanne, plan(f, '/goals'), {
            familyWording: 'Rust in huis',
            concerns: [f.memberIds[0]],
            lifeDomain: 'housing',
          });
          if (!goal) break;
          const due = t.infra.clock.now();
          due.setUTCDate(due.getUTCDate() + s.dueIn);
          const body = await send(sanne, plan(f, '/actions'), {
            goalId: goal.goalId,
            description: 'Afspraak maken',
            assignee: { kind: 'member', id: f.memberIds[0] },
            dueDate: toDateString(due),
          });
          if (body?.actionId) f.actionIds.push(body.actionId);
          break;
        }
        case 'complete':
          if (f.actionIds.length > 0) {
            await send(
              sanne,
              plan(f, `/actions/${f.actionIds[s.a % f.actionIds.length]}/completion`),
              {},
            );
          }
          break;
        case 'sign':
          // Every parent signs (and anyone else a goal concerns): the plan is then agreed.
          for (const id of f.memberIds) {
            await send(sanne, plan(f, '/signatures'), { party: { kind: 'member', id } });
          }
          break;
        case 'evaluate':
          await send(sanne, plan(f, '/notes'), { text: 'Evaluatie', evaluation: true });
          break;
        case 'close':
          await send(sanne, plan(f, '/closure'), { reason: 'goals_achieved' });
          break;
        case 'signal': {
          const body = await send(lead, `/api/v1/families/${f.familyId}/signals`, {
            category: 'waiting_list',
            description: 'Wachtlijst jeugdhulp',
          });
          if (body) escalations.push(body.escalationId);
          break;
        }
        case 'erase': {
          const memberId = f.memberIds[s.m % f.memberIds.length];
          const request = await send(
            sanne,
            `/api/v1/families/${f.familyId}/members/${memberId}/erasure-requests`,
            {
              reason: 'Wil niet langer geregistreerd staan',
            },
          );
          if (request) {
            await send(officer, `/api/v1/erasure-requests/${request.requestId}/decision`, {
              grant: true,
              reason: 'AVG art. 17: geen bewaarplicht van toepassing',
            });
          }
          break;
        }
      }
    }
    expect(await dashboard(team)).toEqual(await expected(team));
  }

  it('equals computeTeamFigures over the events after any sequence of events and clock moves', async () => {
    await fc.assert(fc.asyncProperty(fc.array(step, { minLength: 15, maxLength: 40 }), run), {
      numRuns: 8,
      endOnFailure: true,
      examples: [[SCRIPTED]],
    });
    // The runs were not vacuous: between them they counted cases, actions and bands.
    const totals = await Promise.all(teams.map(dashboard));
    expect(totals.some((d) => d.activeCases > 0 && d.overdueActions > 0)).toBe(true);
    expect(totals.some((d) => d.evaluationsDue > 0)).toBe(true);
    expect(totals.some((d) => d.membersByAgeBand.unknown > 0)).toBe(true);
  });

  it('rebuilds to the live checksum, twice, with the same figures', async () => {
    const runner = t.app.get(ProjectionRunner);
    await runner.catchUp('team-dashboard');
    const live = await runner.checksum('team-dashboard');
    const first = await runner.rebuild('team-dashboard');
    const second = await runner.rebuild('team-dashboard');
    expect(first.checksum).toBe(live);
    expect(second.checksum).toBe(live);
    expect(first.events).toBeGreaterThan(0);
    for (const team of teams) expect(await dashboard(team)).toEqual(await expected(team));
  });

  it('records the calendar once per day it moved to, not once per day passed', async () => {
    const days: Array<{ date: string; stream_id: string; actor: string }> =
      await t.infra.dataSource.query(
        `SELECT data->>'date' AS date, stream_id, metadata->'actor'->>'userId' AS actor
           FROM events WHERE type = 'team.DashboardDayBegan' ORDER BY transaction_id, seq`,
      );
    expect(days.length).toBeGreaterThan(0);
    expect(days.length).toBeLessThanOrEqual(clockMoves);
    expect(days.map((d) => d.date)).toEqual([...new Set(days.map((d) => d.date))].sort());
    for (const d of days) {
      expect(d).toEqual({
        date: d.date,
        stream_id: `dashboard-calendar-${d.date.slice(0, 4)}`,
        actor: 'system',
      });
    }
  });

  it('keeps no date about a person: members hold a sealed value, a band and a blind index', async () => {
    // Cases and actions hold plan dates (agreement, evaluation, due dates): no personal data.
    for (const table of [
      'team_dashboard_members',
      'team_dashboard_counts',
      'team_dashboard_caseloads',
      'team_dashboard_teams',
      'team_dashboard_case_team',
      'team_dashboard_escalations',
    ]) {
      const [{ text }] = await t.infra.dataSource.query(
        `SELECT coalesce(string_agg(t::text, ' '), '') AS text FROM ${table} t`,
      );
      expect([table, text.match(/\d{4}-\d{2}-\d{2}/)?.[0] ?? null]).toEqual([table, null]);
    }
    const members: Array<{ personal: string; changes_on: string | null }> =
      await t.infra.dataSource.query('SELECT personal, changes_on FROM team_dashboard_members');
    expect(members.length).toBeGreaterThan(datesOfBirth.size / 2);
    expect(members.every((m) => m.personal.startsWith('pd1:'))).toBe(true);
    expect(members.filter((m) => m.changes_on !== null).length).toBeGreaterThan(0);
  });
});
