import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { addMonths, ageOn, toDateString } from '#libs/clock/calendar.js';
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
import { httpSession, type HttpSession } from './support/http-session.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/** A team that was never created: known only from its families (like the demo's teams). */
const OTHER_TEAM = randomUUID();
const EMPTY_TEAM = randomUUID();

interface StoredEvent {
  type: string;
  data: Record<string, unknown>;
  stream_id: string;
  metadata: Record<string, unknown>;
}

interface Registered {
  familyId: string;
  memberIds: string[];
}

describe('teams and the SLT team dashboard', () => {
  let t: TestApp;
  let admin: string;
  let auditor: string;
  let sanne: string; // SLT Haven professional
  let joost: string; // SLT Haven professional
  let lead: string; // SLT Haven team lead
  let otherProfessional: string; // a professional of another team
  let otherLead: string; // the lead of another team
  let privacyOfficer: string;
  let team: string;
  let s: HttpSession;
  /** What the test itself registered: dates of birth by memberId, and every name it sent. */
  const datesOfBirth = new Map<string, string>();
  const personalNames: string[] = [];

  const dashboard = (teamId: string, token: string) =>
    s.read(token, `/api/v1/teams/${teamId}/dashboard`);

  /** A date of birth `years` (and some months) ago, or exactly on a birthday with `days`. */
  function bornAgo(years: number, days = -180): string {
    const date = t.infra.clock.now();
    date.setUTCFullYear(date.getUTCFullYear() - years);
    date.setUTCDate(date.getUTCDate() + days);
    return toDateString(date);
  }

  async function register(
    token: string,
    teamId: string,
    members: Array<[givenName: string, familyName: string, dateOfBirth: string, role: string]>,
  ): Promise<Registered> {
    const body = await s.registerFamily(token, {
      teamId,
      members: members.map(([givenName, familyName, dateOfBirth, role]) => ({
        givenName,
        familyName,
        dateOfBirth,
        role,
      })),
    });
    members.forEach(([givenName, familyName, dateOfBirth], i) => {
      datesOfBirth.set(body.memberIds[i], dateOfBirth);
      personalNames.push(givenName, familyName);
    });
    return { familyId: body.familyId, memberIds: body.memberIds };
  }

  const plan = (f: Registered, rest = '') => `/api/v1/families/${f.familyId}/plan${rest}`;

  async function goal(token: string, f: Registered, concerns: string[]): Promise<string> {
    const body = { familyWording: 'Rust in huis', concerns, lifeDomain: 'housing' };
    return (await s.send(token, 'post', plan(f, '/goals'), body, 201)).goalId;
  }

  async function action(
    token: string,
    f: Registered,
    goalId: string,
    assignee: { kind: string; id: string },
    dueDate: string,
  ) {
    const body = { goalId, description: 'Afspraak maken', assignee, dueDate };
    await s.send(token, 'post', plan(f, '/actions'), body, 201);
  }

  async function signal(token: string, f: Registered): Promise<string> {
    const body = { category: 'waiting_list', description: 'Wachtlijst jeugdhulp' };
    return (await s.send(token, 'post', `/api/v1/families/${f.familyId}/signals`, body, 201))
      .escalationId;
  }

  /** Every stored event, in commit order, as the test reads them straight from the database. */
  async function events(): Promise<StoredEvent[]> {
    return t.infra.dataSource.query(
      'SELECT type, data, stream_id, metadata FROM events ORDER BY transaction_id, seq',
    );
  }

  /**
   * The dashboard's figures computed directly from the events, with the project's own folds,
   * the dates of birth this test registered and the server's clock: an independent oracle.
   */
  async function expectedDashboard(teamId: string) {
    const families = new Map<string, FamilyState>();
    const plans = new Map<string, PlanState>();
    const escalations = new Map<string, EscalationState>();
    const erased = new Set<string>();
    type Profile = { name: string | null; wijk: string | null; stadsdeel: string | null };
    let profile: Profile = { name: null, wijk: null, stadsdeel: null };
    for (const e of await events()) {
      const event = { type: e.type, data: e.data };
      if (e.stream_id.startsWith('family-')) {
        const id = e.stream_id.slice('family-'.length);
        const state = families.get(id) ?? INITIAL_FAMILY_STATE;
        families.set(id, evolveFamily(state, event as unknown as FamilyEvent));
      } else if (e.stream_id.startsWith('gezinsplan-')) {
        const id = e.stream_id.slice('gezinsplan-'.length);
        const state = plans.get(id) ?? INITIAL_PLAN_STATE;
        plans.set(id, evolvePlan(state, event as unknown as PlanEvent));
      } else if (e.stream_id.startsWith('escalation-')) {
        const state = escalations.get(e.stream_id) ?? INITIAL_ESCALATION_STATE;
        escalations.set(e.stream_id, evolveEscalation(state, event as unknown as EscalationEvent));
      } else if (e.type === 'erasure.ErasureGranted' || e.type === 'erasure.RetentionExpired') {
        for (const subject of e.data.subjects as string[]) erased.add(subject);
      } else if (e.type === 'team.TeamCreated' && e.data.teamId === teamId) {
        profile = { name: e.data.name, wijk: e.data.wijk, stadsdeel: e.data.stadsdeel } as Profile;
      }
    }

    const now = t.infra.clock.now();
    const today = toDateString(now);
    const teamFamilies = [...families].filter(([, f]) => f.teamId === teamId);
    const active = teamFamilies.filter(([id]) => {
      const p = plans.get(id)?.plan;
      return p !== undefined && p.status !== 'closed';
    });
    const activePlans = active.map(([id]) => plans.get(id)!.plan!);

    const escalationsByLevel: Record<string, number> = { '0': 0, '1': 0, '2': 0 };
    for (const { escalation } of escalations.values()) {
      const ofTeam = families.get(escalation!.familyId)?.teamId === teamId;
      if (ofTeam && escalation!.status === 'open') escalationsByLevel[escalation!.level] += 1;
    }

    const caseload = new Map<string, { professionalId: string; name: string; cases: number }>();
    for (const [, family] of active) {
      for (const p of family.caseTeam) {
        const entry = caseload.get(p.professionalId) ?? { ...p, cases: 0 };
        caseload.set(p.professionalId, {
          professionalId: p.professionalId,
          name: entry.name < p.name ? entry.name : p.name,
          cases: entry.cases + 1,
        });
      }
    }

    const bands: Record<string, number> = {
      '0-4': 0,
      '4-12': 0,
      '12-18': 0,
      '18-23': 0,
      '23-65': 0,
      '65+': 0,
      unknown: 0,
    };
    for (const [, family] of active) {
      for (const m of family.members.filter((m) => m.status === 'current')) {
        if (erased.has(m.memberId)) {
          bands.unknown += 1;
          continue;
        }
        const age = ageOn(datesOfBirth.get(m.memberId)!, now);
        const band =
          age < 4
            ? '0-4'
            : age < 12
              ? '4-12'
              : age < 18
                ? '12-18'
                : age < 23
                  ? '18-23'
                  : age < 65
                    ? '23-65'
                    : '65+';
        bands[band] += 1;
      }
    }

    return {
      teamId,
      team: profile,
      asOf: today,
      activeCases: active.length,
      plansAwaitingAgreement: activePlans.filter((p) => p.status === 'draft').length,
      overdueActions: activePlans
        .flatMap((p) => p.actions)
        .filter((a) => a.status === 'open' && a.dueDate < today).length,
      evaluationsDue: activePlans.filter((p) => {
        const lastReview = p.lastEvaluationAt ?? p.firstAgreedAt;
        return lastReview !== null && addMonths(lastReview, 3) <= today;
      }).length,
      escalationsByLevel,
      caseloadByProfessional: [...caseload.values()].sort(
        (a, b) =>
          b.cases - a.cases ||
          (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) ||
          (a.professionalId < b.professionalId ? -1 : 1),
      ),
      membersByAgeBand: bands,
    };
  }

  const dashboardLog = async (): Promise<
    Array<{
      action: string;
      resource: string;
      family_id: string | null;
      member_ids: string[];
      user_id: string;
      rule: string;
      purpose: string;
    }>
  > =>
    t.infra.dataSource.query(
      `SELECT action, resource, family_id, member_ids, user_id, rule, purpose
         FROM access_log WHERE resource = 'dashboard' ORDER BY seq`,
    );

  beforeAll(async () => {
    t = await startTestApp();
    s = httpSession(t);
    admin = await t.token({ sub: 'admin-1', name: 'Beheer', roles: ['admin'], teams: [] });
    auditor = await t.token({ sub: 'audit-1', name: 'Audit', roles: ['auditor'], teams: [] });
    privacyOfficer = await t.token({ sub: 'po-1', roles: ['privacy_officer'], teams: [] });
    otherProfessional = await t.token({ sub: 'prof-other', teams: [OTHER_TEAM] });
    otherLead = await t.token({ sub: 'lead-other', roles: ['team_lead'], teams: [OTHER_TEAM] });
  });
  afterAll(async () => t?.close());

  describe('creating a team', () => {
    it('is for admins only (403), with name, wijk and stadsdeel of 1..100 characters (400)', async () => {
      const body = { name: 'SLT Haven', wijk: 'Haven', stadsdeel: 'Almere Haven' };
      const professional = await t.token({ sub: 'prof-x', teams: [] });
      await s.send(professional, 'post', '/api/v1/teams', body, 403);
      const invalid: Array<[object, string[]]> = [
        [{}, ['name', 'stadsdeel', 'wijk']],
        [{ ...body, name: '' }, ['name']],
        [{ ...body, wijk: '   ' }, ['wijk']],
        [{ ...body, stadsdeel: 'x'.repeat(101) }, ['stadsdeel']],
        [{ ...body, name: 42 }, ['name']],
        [{ ...body, colour: 'blue' }, ['colour']],
      ];
      for (const [sent, fields] of invalid) {
        const problem = await s.send(admin, 'post', '/api/v1/teams', sent, 400);
        expect([sent, problem.errors.map((e: { field: string }) => e.field).sort()]).toEqual([
          sent,
          fields,
        ]);
      }
      const rows: Array<{ n: number }> = await t.infra.dataSource.query(
        "SELECT count(*)::int AS n FROM events WHERE type = 'team.TeamCreated'",
      );
      expect(rows[0].n).toBe(0);

      const created = await s.send(admin, 'post', '/api/v1/teams', body, 201);
      expect(created).toEqual({ teamId: expect.any(String), position: expect.any(String) });
      team = created.teamId;
      const stored = await events();
      expect(stored.filter((e) => e.type === 'team.TeamCreated')).toEqual([
        {
          type: 'team.TeamCreated',
          data: { teamId: team, ...body },
          stream_id: `team-${team}`,
          metadata: expect.objectContaining({
            actor: expect.objectContaining({ userId: 'admin-1' }),
          }),
        },
      ]);
    });
  });

  describe("a team's postcode areas", () => {
    it('are set by an admin, four digits each, and belong to one team at most', async () => {
      const body = { name: 'SLT Poort', wijk: 'Poort', stadsdeel: 'Almere Poort' };
      const poort = await s.send(
        admin,
        'post',
        '/api/v1/teams',
        {
          ...body,
          postcodeAreas: ['1363', '1364'],
        },
        201,
      );
      const areas = `/api/v1/teams/${poort.teamId}/postcode-areas`;
      const professional = await t.token({ sub: 'prof-x', teams: [poort.teamId] });
      await s.send(professional, 'put', areas, { postcodeAreas: ['1363'] }, 403);
      for (const sent of [{}, { postcodeAreas: ['136'] }, { postcodeAreas: '1363' }]) {
        const problem = await s.send(admin, 'put', areas, sent, 400);
        expect(problem.errors.map((e: { field: string }) => e.field)).toEqual(['postcodeAreas']);
      }
      await s.send(
        admin,
        'put',
        `/api/v1/teams/${randomUUID()}/postcode-areas`,
        {
          postcodeAreas: ['1363'],
        },
        404,
      );
      await s.send(admin, 'put', areas, { postcodeAreas: ['1365', '1363'] }, 200);
      const other = await s.send(
        admin,
        'post',
        '/api/v1/teams',
        {
          name: 'SLT Buiten',
          wijk: 'Buiten',
          stadsdeel: 'Almere Buiten',
        },
        201,
      );
      // The check reads team_views: let it catch up with the areas just set.
      await dashboard(poort.teamId, admin);
      const conflict = await s.send(
        admin,
        'put',
        `/api/v1/teams/${other.teamId}/postcode-areas`,
        {
          postcodeAreas: ['1340', '1365'],
        },
        409,
      );
      expect(conflict.detail).toMatch(/1365 \(SLT Poort\)/);
      const stored = (await events()).filter((e) => e.stream_id === `team-${poort.teamId}`);
      expect(stored.map((e) => [e.type, e.data.postcodeAreas])).toEqual([
        ['team.TeamCreated', ['1363', '1364']],
        ['team.PostcodeAreasChanged', ['1363', '1365']],
      ]);
      const rows = await t.infra.dataSource.query(
        'SELECT team_id, postcode_areas FROM team_views WHERE postcode_areas <> $1 ORDER BY name',
        ['{}'],
      );
      expect(rows).toEqual([{ team_id: poort.teamId, postcode_areas: ['1363', '1365'] }]);
    });
  });

  describe('the dashboard', () => {
    beforeAll(async () => {
      sanne = await t.token({ sub: 'prof-sanne', name: 'Sanne de Vries', teams: [team] });
      joost = await t.token({ sub: 'prof-joost', name: 'Joost Bakker', teams: [team] });
      lead = await t.token({
        sub: 'lead-haven',
        name: 'Lotte',
        roles: ['team_lead'],
        teams: [team],
      });

      // A: draft plan, one action overdue and one not, a signal at level 0 and one withdrawn.
      const a = await register(sanne, team, [
        ['Gerarda', 'Vlasblom', bornAgo(40), 'parent'],
        ['Tijmen', 'Vlasblom', bornAgo(10), 'child'],
        ['Fenneke', 'Vlasblom', bornAgo(2), 'child'],
      ]);
      await s.joinCaseTeam(sanne, a.familyId, {
        professionalId: 'prof-jgz',
        name: 'Joke',
        organisation: 'GGD',
        discipline: 'JGZ',
      });
      await s.send(sanne, 'post', plan(a), {}, 201);
      const goalA = await goal(sanne, a, [a.memberIds[0]]);
      await action(sanne, a, goalA, { kind: 'member', id: a.memberIds[0] }, '2020-01-01');
      await action(sanne, a, goalA, { kind: 'professional', id: 'prof-jgz' }, '2099-01-01');
      await signal(sanne, a);
      const withdrawn = await signal(sanne, a);
      await s.send(
        sanne,
        'post',
        `/api/v1/escalations/${withdrawn}/withdrawal`,
        { reason: 'Dubbel gemeld' },
        200,
      );

      // B: agreed plan with an overdue action, a signal the team lead escalated to level 1.
      const b = await register(joost, team, [
        ['Aaltje', 'Oosterwolde', bornAgo(70), 'parent'],
        ['Sjoerd', 'Oosterwolde', bornAgo(20), 'other'],
        ['Wietske', 'Oosterwolde', bornAgo(15), 'child'],
      ]);
      await s.send(joost, 'post', plan(b), {}, 201);
      const goalB = await goal(joost, b, [b.memberIds[0]]);
      await action(joost, b, goalB, { kind: 'member', id: b.memberIds[0] }, '2021-05-01');
      const signed = await s.send(
        joost,
        'post',
        plan(b, '/signatures'),
        { party: { kind: 'member', id: b.memberIds[0] } },
        200,
      );
      expect(signed.planStatus).toBe('agreed');
      const escalated = await signal(lead, b);
      await s.send(
        lead,
        'post',
        `/api/v1/escalations/${escalated}/escalation`,
        { reason: 'Geen plek binnen de termijn' },
        200,
      );

      // C: a closed plan (not an active case), but an open signal of the team's family.
      const c = await register(sanne, team, [
        ['Hendrikje', 'Kwakernaak', bornAgo(40), 'parent'],
        ['Ole', 'Kwakernaak', bornAgo(5), 'child'],
      ]);
      await s.send(sanne, 'post', plan(c), {}, 201);
      await goal(sanne, c, [c.memberIds[0]]);
      await s.send(
        sanne,
        'post',
        plan(c, '/signatures'),
        { party: { kind: 'member', id: c.memberIds[0] } },
        200,
      );
      await s.send(sanne, 'post', plan(c, '/closure'), { reason: 'goals_achieved' }, 200);
      await signal(sanne, c);

      // D: no plan yet: not an active case.
      await register(sanne, team, [['Berend', 'Zuidema', bornAgo(30), 'parent']]);

      // E: draft plan; a member who turned 18 today, one who turns 12 tomorrow, one who
      // left the household and one whose personal data was erased.
      const e = await register(sanne, team, [
        ['Mirthe', 'Hoekstra', bornAgo(18, 0), 'parent'],
        ['Jelmer', 'Hoekstra', bornAgo(12, 1), 'child'],
        ['Romke', 'Hoekstra', bornAgo(8), 'child'],
        ['Geertruida', 'Hoekstra', bornAgo(50), 'other'],
      ]);
      await s.joinCaseTeam(sanne, e.familyId, {
        professionalId: 'prof-joost',
        name: 'Joost Bakker',
        organisation: 'SLT Haven',
        discipline: 'SLT',
      });
      await s.send(sanne, 'post', plan(e), {}, 201);
      await goal(sanne, e, [e.memberIds[1]]);
      await s.send(
        sanne,
        'post',
        `/api/v1/families/${e.familyId}/members/${e.memberIds[2]}/departure`,
        {},
        200,
      );
      const { requestId } = await s.send(
        sanne,
        'post',
        `/api/v1/families/${e.familyId}/members/${e.memberIds[3]}/erasure-requests`,
        { reason: 'Wil niet langer geregistreerd staan' },
        201,
      );
      await s.send(
        privacyOfficer,
        'post',
        `/api/v1/erasure-requests/${requestId}/decision`,
        { grant: true, reason: 'AVG art. 17: geen bewaarplicht van toepassing' },
        200,
      );

      // F: another team's family with an overdue action and a signal: never counted for ours.
      const f = await register(otherProfessional, OTHER_TEAM, [
        ['Wobbe', 'Dijkstra', bornAgo(40), 'parent'],
        ['Sieuwke', 'Dijkstra', bornAgo(3), 'child'],
      ]);
      await s.send(otherProfessional, 'post', plan(f), {}, 201);
      const goalF = await goal(otherProfessional, f, [f.memberIds[0]]);
      await action(
        otherProfessional,
        f,
        goalF,
        { kind: 'member', id: f.memberIds[0] },
        '2020-01-01',
      );
      await signal(otherProfessional, f);
    });

    it('shows the team lead every figure as computed directly from the events', async () => {
      const response = await dashboard(team, lead).expect(200);
      const expected = await expectedDashboard(team);
      expect(response.body).toEqual(expected);
      // The oracle itself saw what this test built (so equality above is not vacuous).
      expect(expected).toMatchObject({
        team: { name: 'SLT Haven', wijk: 'Haven', stadsdeel: 'Almere Haven' },
        activeCases: 3,
        plansAwaitingAgreement: 2,
        overdueActions: 2,
        evaluationsDue: 0,
        escalationsByLevel: { '0': 2, '1': 1, '2': 0 },
        caseloadByProfessional: [
          { professionalId: 'prof-joost', name: 'Joost Bakker', cases: 2 },
          { professionalId: 'prof-sanne', name: 'Sanne de Vries', cases: 2 },
          { professionalId: 'prof-jgz', name: 'Joke', cases: 1 },
        ],
        membersByAgeBand: {
          '0-4': 1,
          '4-12': 2,
          '12-18': 1,
          '18-23': 2,
          '23-65': 1,
          '65+': 1,
          unknown: 1,
        },
      });
    });

    it("contains no family member's name, date of birth or id", async () => {
      const response = await dashboard(team, lead).expect(200);
      expect(personalNames.length).toBeGreaterThan(20);
      for (const text of [...personalNames, ...datesOfBirth.keys(), ...datesOfBirth.values()]) {
        expect([text, response.text.includes(text)]).toEqual([text, false]);
      }
    });

    it('writes one access-log record per read: a search of the dashboard, no family, no members', async () => {
      const before = (await dashboardLog()).length;
      await dashboard(team, lead).expect(200);
      const after = await dashboardLog();
      expect(after.slice(before)).toEqual([
        {
          action: 'search',
          resource: 'dashboard',
          family_id: null,
          member_ids: [],
          user_id: 'lead-haven',
          rule: 'team_lead',
          purpose: 'team management',
        },
      ]);
      await dashboard(team, sanne).expect(200);
      await dashboard(team, auditor).expect(200);
      expect((await dashboardLog()).slice(before + 1).map((r) => [r.user_id, r.rule])).toEqual([
        ['prof-sanne', 'team_member'],
        ['audit-1', 'auditor'],
      ]);
    });

    it('is the same 404 for anyone outside the team as for a team that does not exist', async () => {
      const before = (await dashboardLog()).length;
      const citizen = await t.token({ sub: 'c-1', roles: ['citizen'], teams: [team] });
      for (const token of [otherProfessional, otherLead, citizen]) {
        const response = await dashboard(team, token).expect(404);
        expect(response.body.detail).toBe('No team with this id');
      }
      // Admins and auditors see any team that exists, and nothing of one that does not.
      const unknown = randomUUID();
      expect((await dashboard(unknown, admin).expect(404)).body.detail).toBe(
        'No team with this id',
      );
      await dashboard(unknown, auditor).expect(404);
      await dashboard('not-a-uuid', lead).expect(400);
      expect(await dashboardLog()).toHaveLength(before);

      expect((await dashboard(team, admin).expect(200)).body).toEqual(
        await expectedDashboard(team),
      );
    });

    it('works for a team known only from its families, and is empty for a team of none', async () => {
      const other = await dashboard(OTHER_TEAM, otherLead).expect(200);
      expect(other.body).toEqual(await expectedDashboard(OTHER_TEAM));
      expect(other.body).toMatchObject({
        team: { name: null, wijk: null, stadsdeel: null },
        activeCases: 1,
        overdueActions: 1,
        escalationsByLevel: { '0': 1, '1': 0, '2': 0 },
      });

      const newLead = await t.token({ sub: 'lead-new', roles: ['team_lead'], teams: [EMPTY_TEAM] });
      const empty = await dashboard(EMPTY_TEAM, newLead).expect(200);
      expect(empty.body).toEqual(await expectedDashboard(EMPTY_TEAM));
      expect(empty.body.activeCases).toBe(0);
      await dashboard(EMPTY_TEAM, admin).expect(404);
    });

    it('stays equal to the events as time passes: evaluations fall due, deadlines escalate', async () => {
      const moved = await t.http.post('/api/v1/dev/clock').send({ advanceDays: 100 }).expect(200);
      if (moved.body.position) s.remember(moved.body.position);
      const response = await dashboard(team, lead).expect(200);
      const expected = await expectedDashboard(team);
      expect(response.body).toEqual(expected);
      expect(expected.evaluationsDue).toBe(1);
      expect(expected.asOf).not.toBe(toDateString(new Date()));
    });
  });
});
