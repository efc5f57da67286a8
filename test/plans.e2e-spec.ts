import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { httpSession, type HttpSession } from './support/http-session.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const TEAM = randomUUID();

interface Family {
  familyId: string;
  mother: string;
  teen: string;
  toddler: string;
  grandmother: string;
}

describe('the family plan over HTTP', () => {
  let t: TestApp;
  let sanne: string; // SLT Haven, registers the families
  let ggd: string; // JGZ nurse of GGD Flevoland, joins the case team
  let s: HttpSession;

  beforeAll(async () => {
    t = await startTestApp({ MAX_ACTIVE_GOALS: '3' });
    s = httpSession(t);
    sanne = await t.token({ sub: 'prof-sanne', organisation: 'SLT Haven', teams: [TEAM] });
    ggd = await t.token({
      sub: 'prof-jgz',
      name: 'Joke',
      organisation: 'GGD Flevoland',
      teams: [],
    });
  });
  afterAll(async () => t?.close());

  async function eventCount(): Promise<number> {
    const rows: Array<{ n: string }> = await t.infra.dataSource.query(
      'SELECT count(*)::text AS n FROM events',
    );
    return Number(rows[0].n);
  }

  /** The Jansen family with its grandmother in the network and Joke on the case team. */
  async function family(): Promise<Family> {
    const { familyId, memberIds, networkIds } = await s.registerFamily(sanne, {
      teamId: TEAM,
      network: [{ name: 'Ria Jansen', relation: 'grandmother' }],
    });
    await s.joinCaseTeam(sanne, familyId, {
      professionalId: 'prof-jgz',
      name: 'Joke',
      organisation: 'GGD Flevoland',
      discipline: 'JGZ',
    });
    return {
      familyId,
      mother: memberIds[0],
      teen: memberIds[1],
      toddler: memberIds[2],
      grandmother: networkIds[0],
    };
  }

  const planPath = (f: Family, rest = '') => `/api/v1/families/${f.familyId}/plan${rest}`;
  const goal = (f: Family, overrides: object = {}) => ({
    familyWording: 'Een huis waar mijn kinderen en ik kunnen wonen',
    concerns: [f.mother],
    lifeDomain: 'housing',
    ...overrides,
  });

  describe('opening', () => {
    it('opens one plan per family; a second is 409 with a link to the first', async () => {
      const f = await family();
      const opened = await s.command(sanne, 'post', planPath(f), {}, 201);
      expect(opened.body).toEqual({
        planId: expect.any(String),
        version: 1,
        position: expect.any(String),
      });

      const second = await s.command(sanne, 'post', planPath(f), {}, 409);
      expect(second.body.links).toEqual({ plan: `/api/v1/families/${f.familyId}/plan` });

      const view = await s.read(sanne, planPath(f)).expect(200);
      expect(view.body).toMatchObject({
        planId: opened.body.planId,
        status: 'draft',
        version: 1,
        goals: [],
        actions: [],
      });
      expect(view.headers.etag).toMatch(/^"\d+"$/);
    });

    it('answers 404 for a family without a plan, and to outsiders, appending nothing', async () => {
      const f = await family();
      await s.read(sanne, planPath(f)).expect(404);
      await s.command(sanne, 'post', planPath(f), {}, 201);
      const outsider = await t.token({ sub: 'prof-outsider', teams: [randomUUID()] });
      const before = await eventCount();

      await s.read(outsider, planPath(f)).expect(404);
      await s.read(outsider, planPath(f, '/versions')).expect(404);
      await s.command(outsider, 'post', planPath(f, '/goals'), goal(f), 404);
      await s.command(outsider, 'post', planPath(f), {}, 404);

      expect(await eventCount()).toBe(before);
    });
  });

  describe('goals', () => {
    it("keeps the family's words, defaults confidentiality by life domain, and limits active goals", async () => {
      const f = await family();
      await s.command(sanne, 'post', planPath(f), {}, 201);
      await s.command(
        sanne,
        'post',
        planPath(f, '/goals'),
        goal(f, { targetDate: '2027-06-30' }),
        201,
      );
      await s.command(
        sanne,
        'post',
        planPath(f, '/goals'),
        goal(f, {
          familyWording: 'Gezond blijven tijdens de zwangerschap',
          lifeDomain: 'physical_health',
        }),
        201,
      );
      await s.command(
        sanne,
        'post',
        planPath(f, '/goals'),
        goal(f, {
          familyWording: 'Geen nieuwe schulden maken',
          lifeDomain: 'finances',
          confidentiality: 'restricted',
        }),
        201,
      );

      const eighth = await s.command(sanne, 'post', planPath(f, '/goals'), goal(f), 422);
      expect(eighth.body.detail).toMatch(/at most 3 active goals/);

      const view = await s.read(sanne, planPath(f)).expect(200);
      expect(
        view.body.goals.map((g: Record<string, unknown>) => [
          g.familyWording,
          g.lifeDomain,
          g.confidentiality,
          g.lifecycleStatus,
        ]),
      ).toEqual([
        ['Een huis waar mijn kinderen en ik kunnen wonen', 'housing', 'case_team', 'proposed'],
        ['Gezond blijven tijdens de zwangerschap', 'physical_health', 'need_to_know', 'proposed'],
        ['Geen nieuwe schulden maken', 'finances', 'restricted', 'proposed'],
      ]);
      expect(view.body.goals[0].targetDate).toBe('2027-06-30');
    });

    it('refuses goals for non-members and for members who left (422), and bad input (400)', async () => {
      const f = await family();
      await s.command(sanne, 'post', planPath(f), {}, 201);
      const stranger = await s.command(
        sanne,
        'post',
        planPath(f, '/goals'),
        goal(f, { concerns: [randomUUID()] }),
        422,
      );
      expect(stranger.body.errors[0].field).toBe('concerns');
      await s.command(
        sanne,
        'post',
        `/api/v1/families/${f.familyId}/members/${f.teen}/departure`,
        {},
        200,
      );
      await s.command(sanne, 'post', planPath(f, '/goals'), goal(f, { concerns: [f.teen] }), 422);

      const invalid = await s.command(
        sanne,
        'post',
        planPath(f, '/goals'),
        {
          familyWording: '',
          concerns: [],
          lifeDomain: 'wellbeing',
          targetDate: '2027-02-30',
          colour: 'red',
        },
        400,
      );
      expect(invalid.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
        'colour',
        'concerns',
        'familyWording',
        'lifeDomain',
        'targetDate',
      ]);
    });

    it('moves a goal through its lifecycle and refuses impossible moves', async () => {
      const f = await family();
      await s.command(sanne, 'post', planPath(f), {}, 201);
      const { goalId } = (await s.command(sanne, 'post', planPath(f, '/goals'), goal(f), 201)).body;

      await s.command(
        sanne,
        'patch',
        planPath(f, `/goals/${goalId}`),
        { lifecycleStatus: 'active', achievementStatus: 'improving' },
        200,
      );
      const wrong = await s.command(
        sanne,
        'patch',
        planPath(f, `/goals/${goalId}`),
        { lifecycleStatus: 'proposed' },
        422,
      );
      expect(wrong.body.detail).toMatch(/cannot go from active to proposed/);
      await s.command(sanne, 'patch', planPath(f, `/goals/${goalId}`), {}, 422);
      await s.command(
        sanne,
        'patch',
        planPath(f, `/goals/${randomUUID()}`),
        { achievementStatus: 'improving' },
        404,
      );

      const view = await s.read(sanne, planPath(f)).expect(200);
      expect(view.body.goals[0]).toMatchObject({
        lifecycleStatus: 'active',
        achievementStatus: 'improving',
      });
    });
  });

  describe('actions and notes', () => {
    it('assigns actions to members, network and case-team professionals only, and derives overdue', async () => {
      const f = await family();
      await s.command(sanne, 'post', planPath(f), {}, 201);
      const { goalId } = (await s.command(sanne, 'post', planPath(f, '/goals'), goal(f), 201)).body;
      const action = (kind: string, id: string, dueDate = '2099-01-01') => ({
        goalId,
        description: `Bellen met woningcorporatie (${kind})`,
        assignee: { kind, id },
        dueDate,
      });

      await s.command(sanne, 'post', planPath(f, '/actions'), action('member', f.mother), 201);
      await s.command(
        sanne,
        'post',
        planPath(f, '/actions'),
        action('network', f.grandmother, '2020-01-01'),
        201,
      );
      const byProfessional = await s.command(
        sanne,
        'post',
        planPath(f, '/actions'),
        action('professional', 'prof-jgz'),
        201,
      );
      for (const [kind, id] of [
        ['member', randomUUID()],
        ['network', randomUUID()],
        ['professional', 'prof-outsider'],
      ]) {
        const refused = await s.command(
          sanne,
          'post',
          planPath(f, '/actions'),
          action(kind, id),
          422,
        );
        expect(refused.body.errors[0].field).toBe('assignee');
      }

      await s.command(
        sanne,
        'post',
        planPath(f, `/actions/${byProfessional.body.actionId}/completion`),
        {},
        200,
      );
      await s.command(
        sanne,
        'post',
        planPath(f, `/actions/${byProfessional.body.actionId}/completion`),
        {},
        409,
      );
      await s.command(sanne, 'post', planPath(f, `/actions/${randomUUID()}/completion`), {}, 404);

      const view = await s.read(sanne, planPath(f)).expect(200);
      expect(
        view.body.actions.map((a: Record<string, unknown>) => [
          (a.assignee as { kind: string }).kind,
          a.status,
          a.overdue,
        ]),
      ).toEqual([
        ['member', 'open', false],
        ['network', 'open', true],
        ['professional', 'done', false],
      ]);
      expect(view.body.actions[2].assignee).toEqual({
        kind: 'professional',
        id: 'prof-jgz',
        organisation: 'GGD Flevoland',
      });
    });

    it('records progress notes and shows when the next evaluation is due', async () => {
      const f = await family();
      await s.command(sanne, 'post', planPath(f), {}, 201);
      const { goalId } = (await s.command(sanne, 'post', planPath(f, '/goals'), goal(f), 201)).body;
      await s.command(
        sanne,
        'post',
        planPath(f, '/notes'),
        { goalId, text: 'Gesprek met corporatie gehad' },
        201,
      );
      await s.command(
        sanne,
        'post',
        planPath(f, '/signatures'),
        { party: { kind: 'member', id: f.mother } },
        200,
      );
      await s.command(
        sanne,
        'post',
        planPath(f, '/notes'),
        { text: 'Evaluatie: goed op weg', evaluation: true },
        201,
      );
      await s.command(
        sanne,
        'post',
        planPath(f, '/notes'),
        { goalId: randomUUID(), text: 'x' },
        422,
      );

      const view = await s.read(sanne, planPath(f)).expect(200);
      expect(view.body.notes.map((n: { text: string }) => n.text)).toEqual([
        'Gesprek met corporatie gehad',
        'Evaluatie: goed op weg',
      ]);
      const evaluated = view.body.notes[1].writtenAt.slice(0, 10);
      const due = new Date(`${evaluated}T00:00:00Z`);
      due.setUTCMonth(due.getUTCMonth() + 3);
      expect(view.body.evaluationDueAt).toBe(due.toISOString().slice(0, 10));
    });
  });

  describe('invalid input and rules on every plan command', () => {
    it('names each bad field in a 400 and appends nothing', async () => {
      const f = await family();
      await s.command(sanne, 'post', planPath(f), {}, 201);
      const { goalId } = (await s.command(sanne, 'post', planPath(f, '/goals'), goal(f), 201)).body;
      const before = await eventCount();
      const cases: Array<['post' | 'patch', string, object, string[]]> = [
        [
          'patch',
          `/goals/${goalId}`,
          { lifecycleStatus: 'done', targetDate: 'soon' },
          ['lifecycleStatus', 'targetDate'],
        ],
        [
          'patch',
          `/goals/${goalId}`,
          { achievementStatus: 'great', familyWording: 'x' },
          ['achievementStatus', 'familyWording'],
        ],
        ['post', '/actions', {}, ['assignee', 'description', 'dueDate', 'goalId']],
        [
          'post',
          '/actions',
          {
            goalId: 'g',
            description: '',
            assignee: { kind: 'neighbour', id: '' },
            dueDate: '2027-13-01',
          },
          ['assignee.id', 'assignee.kind', 'description', 'dueDate', 'goalId'],
        ],
        [
          'post',
          '/actions',
          { goalId, description: 'x', assignee: 'prof-jgz', dueDate: '2027-01-01' },
          ['assignee'],
        ],
        [
          'post',
          '/notes',
          { text: '', evaluation: 'yes', confidentiality: 'secret' },
          ['confidentiality', 'evaluation', 'text'],
        ],
        ['post', '/notes', { text: 'x'.repeat(5001) }, ['text']],
        ['post', '/signatures', {}, ['party']],
        ['post', '/signatures', { party: { kind: 'family', id: f.mother } }, ['party.kind']],
        // An array where an object belongs: its items were validated instead (found by fuzzing).
        ['post', '/signatures', { party: [] }, ['party']],
        [
          'post',
          '/actions',
          { goalId, description: 'x', assignee: [], dueDate: '2027-01-01' },
          ['assignee'],
        ],
        ['post', '/closure', {}, ['reason']],
        ['post', '/closure', { reason: 'bored' }, ['reason']],
        ['post', '', { planId: randomUUID() }, ['planId']],
      ];
      for (const [method, rest, body, fields] of cases) {
        const response = await s.command(sanne, method, planPath(f, rest), body, 400);
        expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
        expect([rest, response.body.errors.map((e: { field: string }) => e.field).sort()]).toEqual([
          rest,
          fields,
        ]);
      }
      await s.command(sanne, 'post', planPath(f, '/actions/not-a-uuid/completion'), {}, 400);
      const extra = await s.command(
        sanne,
        'post',
        planPath(f, `/actions/${randomUUID()}/completion`),
        { at: 'now' },
        400,
      );
      expect(extra.body.errors.map((e: { field: string }) => e.field)).toEqual(['at']);
      await s.command(
        sanne,
        'patch',
        planPath(f, '/goals/not-a-uuid'),
        { achievementStatus: 'improving' },
        400,
      );
      expect(await eventCount()).toBe(before);
    });

    it('answers 404 to every command on a family without an active plan', async () => {
      const f = await family();
      const before = await eventCount();
      await s.command(sanne, 'post', planPath(f, '/goals'), goal(f), 404);
      await s.command(
        sanne,
        'patch',
        planPath(f, `/goals/${randomUUID()}`),
        { achievementStatus: 'improving' },
        404,
      );
      await s.command(sanne, 'post', planPath(f, '/notes'), { text: 'x' }, 404);
      await s.command(sanne, 'post', planPath(f, `/actions/${randomUUID()}/completion`), {}, 404);
      await s.command(
        sanne,
        'post',
        planPath(f, '/signatures'),
        { party: { kind: 'member', id: f.mother } },
        404,
      );
      await s.command(sanne, 'post', planPath(f, '/closure'), { reason: 'other' }, 404);
      await s.read(sanne, planPath(f, '/versions')).expect(404);
      await s.read(sanne, planPath(f, '/versions/1')).expect(404);
      await s.command(sanne, 'post', `/api/v1/families/${randomUUID()}/plan`, {}, 404);
      expect(await eventCount()).toBe(before);
    });

    it('refuses to sign a plan without goals (422) or a version already agreed (409)', async () => {
      const f = await family();
      await s.command(sanne, 'post', planPath(f), {}, 201);
      const empty = await s.command(
        sanne,
        'post',
        planPath(f, '/signatures'),
        { party: { kind: 'member', id: f.mother } },
        422,
      );
      expect(empty.body.detail).toMatch(/at least one goal/);
      const { goalId } = (await s.command(sanne, 'post', planPath(f, '/goals'), goal(f), 201)).body;
      await s.command(
        sanne,
        'post',
        planPath(f, '/signatures'),
        { party: { kind: 'member', id: f.mother } },
        200,
      );
      const again = await s.command(
        sanne,
        'post',
        planPath(f, '/signatures'),
        { party: { kind: 'member', id: f.mother } },
        409,
      );
      expect(again.body.detail).toMatch(/already agreed/);

      // A finished goal cannot change again, nor take actions.
      await s.command(
        sanne,
        'patch',
        planPath(f, `/goals/${goalId}`),
        { lifecycleStatus: 'cancelled' },
        200,
      );
      await s.command(
        sanne,
        'patch',
        planPath(f, `/goals/${goalId}`),
        { achievementStatus: 'improving' },
        422,
      );
      const action = await s.command(
        sanne,
        'post',
        planPath(f, '/actions'),
        {
          goalId,
          description: 'x',
          assignee: { kind: 'member', id: f.mother },
          dueDate: '2099-01-01',
        },
        422,
      );
      expect(action.body.errors[0].field).toBe('goalId');
      await s.command(
        sanne,
        'post',
        planPath(f, '/actions'),
        {
          goalId: randomUUID(),
          description: 'x',
          assignee: { kind: 'member', id: f.mother },
          dueDate: '2099-01-01',
        },
        422,
      );
    });
  });

  describe('agreement and versions', () => {
    it('walks a plan through draft, agreed, version 2, agreed again and closed, keeping every version', async () => {
      const f = await family();
      await s.command(sanne, 'post', planPath(f), {}, 201);
      const housing = (
        await s.command(
          sanne,
          'post',
          planPath(f, '/goals'),
          goal(f, { concerns: [f.mother, f.teen, f.toddler] }),
          201,
        )
      ).body.goalId;
      await s.command(
        sanne,
        'post',
        planPath(f, '/actions'),
        {
          goalId: housing,
          description: 'Urgentie aanvragen',
          assignee: { kind: 'professional', id: 'prof-jgz' },
          dueDate: '2099-01-01',
        },
        201,
      );

      // Parent, the 14-year-old the goal concerns, and the organisation with an open action; not the toddler.
      const draft = await s.read(sanne, planPath(f)).expect(200);
      expect(draft.body.agreement.requiredParties).toEqual([
        { kind: 'member', id: f.mother },
        { kind: 'member', id: f.teen },
        { kind: 'organisation', id: 'GGD Flevoland' },
      ]);
      await s.command(
        sanne,
        'post',
        planPath(f, '/signatures'),
        { party: { kind: 'member', id: f.toddler } },
        422,
      );
      await s.command(
        sanne,
        'post',
        planPath(f, '/signatures'),
        { party: { kind: 'organisation', id: 'GGD Flevoland' } },
        422,
      ); // Sanne is not GGD
      expect(
        (
          await s.command(
            sanne,
            'post',
            planPath(f, '/signatures'),
            { party: { kind: 'member', id: f.mother } },
            200,
          )
        ).body.planStatus,
      ).toBe('draft');
      await s.command(
        sanne,
        'post',
        planPath(f, '/signatures'),
        { party: { kind: 'member', id: f.mother } },
        409,
      );
      await s.command(
        sanne,
        'post',
        planPath(f, '/signatures'),
        { party: { kind: 'member', id: f.teen } },
        200,
      );
      const agreed = await s.command(
        ggd,
        'post',
        planPath(f, '/signatures'),
        { party: { kind: 'organisation', id: 'GGD Flevoland' } },
        200,
      );
      expect(agreed.body.planStatus).toBe('agreed');

      // Progress does not change the agreed version; a new goal opens version 2.
      await s.command(
        sanne,
        'post',
        planPath(f, '/notes'),
        { goalId: housing, text: 'Aanvraag ingediend' },
        201,
      );
      expect((await s.read(sanne, planPath(f)).expect(200)).body).toMatchObject({
        status: 'agreed',
        version: 1,
      });
      await s.command(
        sanne,
        'post',
        planPath(f, '/goals'),
        goal(f, { familyWording: 'Geen nieuwe schulden maken', lifeDomain: 'finances' }),
        201,
      );
      const v2 = await s.read(sanne, planPath(f)).expect(200);
      expect(v2.body).toMatchObject({ status: 'draft', version: 2 });
      expect(v2.body.agreement.signatures).toEqual([]);

      for (const [party, token] of [
        [{ kind: 'member', id: f.mother }, sanne],
        [{ kind: 'member', id: f.teen }, sanne],
        [{ kind: 'organisation', id: 'GGD Flevoland' }, ggd],
      ] as const) {
        await s.command(token, 'post', planPath(f, '/signatures'), { party }, 200);
      }
      expect((await s.read(sanne, planPath(f)).expect(200)).body).toMatchObject({
        status: 'agreed',
        version: 2,
      });
      // Written after version 2 was agreed: the current plan shows it, version 2 does not.
      await s.command(sanne, 'post', planPath(f, '/notes'), { text: 'Schuldhulp gestart' }, 201);
      await s.command(sanne, 'post', planPath(f, '/closure'), { reason: 'goals_achieved' }, 200);
      await s.command(sanne, 'post', planPath(f, '/closure'), { reason: 'goals_achieved' }, 404);

      const versions = await s.read(sanne, planPath(f, '/versions')).expect(200);
      expect(versions.body.versions).toEqual([
        { version: 1, status: 'agreed', agreedAt: expect.stringMatching(/Z$/) },
        { version: 2, status: 'agreed', agreedAt: expect.stringMatching(/Z$/) },
      ]);
      const first = await s.read(sanne, planPath(f, '/versions/1')).expect(200);
      const second = await s.read(sanne, planPath(f, '/versions/2')).expect(200);
      expect(first.body.goals.map((g: { familyWording: string }) => g.familyWording)).toEqual([
        'Een huis waar mijn kinderen en ik kunnen wonen',
      ]);
      expect(first.body.notes).toEqual([]);
      expect(second.body.goals.map((g: { familyWording: string }) => g.familyWording)).toEqual([
        'Een huis waar mijn kinderen en ik kunnen wonen',
        'Geen nieuwe schulden maken',
      ]);
      expect(second.body.agreement.signatures).toHaveLength(3);
      expect(second.body.notes.map((n: { text: string }) => n.text)).toEqual([
        'Aanvraag ingediend',
      ]);
      await s.read(sanne, planPath(f, '/versions/3')).expect(404);
      await s.read(sanne, planPath(f, '/versions/two')).expect(400);

      const closed = await s.read(sanne, planPath(f)).expect(200);
      expect(closed.body).toMatchObject({ status: 'closed', closureReason: 'goals_achieved' });
      expect(closed.body.notes.map((n: { text: string }) => n.text)).toEqual([
        'Aanvraag ingediend',
        'Schuldhulp gestart',
      ]);
      const reopened = await s.command(sanne, 'post', planPath(f), {}, 201);
      expect(reopened.body.planId).not.toBe(closed.body.planId);
      // The notes belong to the plan they were written in, not to the family.
      expect((await s.read(sanne, planPath(f)).expect(200)).body.notes).toEqual([]);
    });

    it('refuses a command based on a stale ETag with 412 and accepts the current one', async () => {
      const f = await family();
      await s.command(sanne, 'post', planPath(f), {}, 201);
      const etag = (await s.read(sanne, planPath(f)).expect(200)).headers.etag;
      await s.command(sanne, 'post', planPath(f, '/goals'), goal(f), 201, { 'If-Match': etag });
      const before = await eventCount();

      const stale = await s.command(sanne, 'post', planPath(f, '/goals'), goal(f), 412, {
        'If-Match': etag,
      });

      expect(stale.body.type).toBe('urn:egep:problem:stale-version');
      expect(await eventCount()).toBe(before);
      const fresh = (await s.read(sanne, planPath(f)).expect(200)).headers.etag;
      expect(fresh).not.toBe(etag);
      await s.command(sanne, 'post', planPath(f, '/goals'), goal(f), 201, { 'If-Match': fresh });
    });
  });
});
