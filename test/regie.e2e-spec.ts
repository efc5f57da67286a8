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
}

const SANNE = { professionalId: 'prof-sanne', name: 'Sanne de Vries', organisation: 'SLT Haven' };
const JOKE = { professionalId: 'prof-jgz', name: 'Joke', organisation: 'GGD Flevoland' };
const ILSE = {
  professionalId: 'prof-ilse',
  name: 'Ilse Vermeer',
  organisation: 'Procesregie Flevoland',
};

describe('regie roles over HTTP', () => {
  let t: TestApp;
  let sanne: string; // SLT Haven, registers the families and is on every case team
  let ggd: string; // JGZ nurse of GGD Flevoland, joins the case team
  let ilse: string; // independent procesregisseur, never on a case team
  let s: HttpSession;

  beforeAll(async () => {
    t = await startTestApp();
    s = httpSession(t);
    sanne = await t.token({ teams: [TEAM] });
    ggd = await t.token({
      sub: JOKE.professionalId,
      name: JOKE.name,
      organisation: JOKE.organisation,
      teams: [],
    });
    ilse = await t.token({
      sub: ILSE.professionalId,
      name: ILSE.name,
      organisation: ILSE.organisation,
      roles: ['procesregisseur'],
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

  async function planEvents(f: Family, type: string): Promise<Array<Record<string, unknown>>> {
    const rows: Array<{ data: Record<string, unknown> }> = await t.infra.dataSource.query(
      'SELECT type, data FROM events WHERE type = $1 AND stream_id = $2 ORDER BY stream_version',
      [type, `gezinsplan-${f.familyId}`],
    );
    return rows.map((r) => r.data);
  }

  const named = ({ familyId, memberIds }: { familyId: string; memberIds: string[] }): Family => ({
    familyId,
    mother: memberIds[0],
    teen: memberIds[1],
    toddler: memberIds[2],
  });

  /** The Jansen family with Joke on the case team. */
  async function family(): Promise<Family> {
    const registered = await s.registerFamily(sanne, { teamId: TEAM });
    await s.joinCaseTeam(sanne, registered.familyId, { ...JOKE, discipline: 'JGZ' });
    return named(registered);
  }

  /** A family with an open (draft) plan holding one goal that concerns only the mother. */
  async function familyWithPlan(): Promise<Family> {
    return named(
      await s.familyWithPlan(sanne, { teamId: TEAM, caseTeam: [{ ...JOKE, discipline: 'JGZ' }] }),
    );
  }

  /** The mother is the only required party, so her signature agrees the plan. */
  async function agree(f: Family) {
    const signed = await s.command(
      sanne,
      'post',
      planPath(f, '/signatures'),
      { party: { kind: 'member', id: f.mother } },
      200,
    );
    expect(signed.body.planStatus).toBe('agreed');
  }

  const planPath = (f: Family, rest = '') => `/api/v1/families/${f.familyId}/plan${rest}`;
  const regiePath = (f: Family | string, role: string) =>
    `/api/v1/families/${typeof f === 'string' ? f : f.familyId}/regie/${role}`;
  const fields = (body: { errors?: Array<{ field: string }> }) =>
    (body.errors ?? []).map((e) => e.field).sort();

  async function regieViews(f: Family) {
    const familyView = await s.read(sanne, `/api/v1/families/${f.familyId}`).expect(200);
    const planView = await s.read(sanne, planPath(f)).expect(200);
    return { family: familyView.body.regie, plan: planView.body.regie };
  }

  describe('casusregie', () => {
    it('goes to a case-team professional, shown with name and organisation from the case team', async () => {
      const f = await familyWithPlan();
      const assigned = await s.command(
        sanne,
        'put',
        regiePath(f, 'casusregie'),
        { professionalId: JOKE.professionalId },
        200,
      );
      expect(assigned.body).toEqual({ position: expect.stringMatching(/^\d+-\d+$/) });

      const views = await regieViews(f);
      expect(views.family).toEqual({
        casusregisseur: JOKE,
        perspectiefregisseur: null,
        procesregisseur: null,
      });
      expect(views.plan).toEqual({
        casusregisseur: JOKE,
        perspectiefregisseur: null,
        procesregisseur: null,
        casusregieVacantSince: null,
      });
      expect(await planEvents(f, 'gezinsplan.RegieAssigned')).toEqual([
        expect.objectContaining({ role: 'casusregie', holder: JOKE, previous: null }),
      ]);
    });

    it('refuses a professional who is not on the case team (422 naming professionalId), appending nothing', async () => {
      const f = await familyWithPlan();
      const before = await eventCount();

      const withName = await s.command(sanne, 'put', regiePath(f, 'casusregie'), { ...ILSE }, 422);
      expect(withName.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(withName.body.errors[0].field).toBe('professionalId');

      // The documented body is {professionalId} alone: the problem is still who it is.
      const byIdAlone = await s.command(
        sanne,
        'put',
        regiePath(f, 'casusregie'),
        { professionalId: ILSE.professionalId },
        422,
      );
      expect(byIdAlone.body.errors[0].field).toBe('professionalId');

      expect(await eventCount()).toBe(before);
      expect((await regieViews(f)).family.casusregisseur).toBeNull();
    });

    it('answers 409 when the holder is assigned again, appending nothing', async () => {
      const f = await familyWithPlan();
      await s.command(
        sanne,
        'put',
        regiePath(f, 'casusregie'),
        { professionalId: JOKE.professionalId },
        200,
      );
      const before = await eventCount();
      const again = await s.command(
        sanne,
        'put',
        regiePath(f, 'casusregie'),
        { professionalId: JOKE.professionalId },
        409,
      );
      expect(again.body.status).toBe(409);
      expect(await eventCount()).toBe(before);
    });

    it('hands over in ONE event naming both the new holder and the previous one', async () => {
      const f = await familyWithPlan();
      await agree(f);
      await s.command(
        sanne,
        'put',
        regiePath(f, 'casusregie'),
        { professionalId: JOKE.professionalId },
        200,
      );
      const before = await eventCount();

      await s.command(
        sanne,
        'put',
        regiePath(f, 'casusregie'),
        { professionalId: SANNE.professionalId },
        200,
      );

      expect(await eventCount()).toBe(before + 1);
      const assigned = await planEvents(f, 'gezinsplan.RegieAssigned');
      expect(assigned).toHaveLength(2);
      expect(assigned[1]).toEqual({
        planId: expect.any(String),
        role: 'casusregie',
        holder: SANNE,
        previous: JOKE,
        assignedAt: expect.stringMatching(/Z$/),
      });
      const views = await regieViews(f);
      expect(views.family.casusregisseur).toEqual(SANNE);
      expect(views.plan.casusregisseur).toEqual(SANNE);
      expect(views.plan.casusregieVacantSince).toBeNull();
    });
  });

  describe('procesregie', () => {
    it('refuses a case-team professional (422 naming professionalId) and appends nothing', async () => {
      const f = await familyWithPlan();
      const before = await eventCount();
      for (const body of [{ professionalId: JOKE.professionalId }, { ...JOKE }, { ...SANNE }]) {
        const refused = await s.command(sanne, 'put', regiePath(f, 'procesregie'), body, 422);
        expect(refused.body.errors[0].field).toBe('professionalId');
        expect(refused.body.detail).toMatch(/independent/);
      }
      expect(await eventCount()).toBe(before);
      expect((await regieViews(f)).family.procesregisseur).toBeNull();
    });

    it('goes to an independent professional who gives name and organisation', async () => {
      const f = await familyWithPlan();
      await s.command(sanne, 'put', regiePath(f, 'procesregie'), { ...ILSE }, 200);
      const views = await regieViews(f);
      expect(views.family).toEqual({
        casusregisseur: null,
        perspectiefregisseur: null,
        procesregisseur: ILSE,
      });
      expect(views.plan.procesregisseur).toEqual(ILSE);
      expect(await planEvents(f, 'gezinsplan.RegieAssigned')).toEqual([
        expect.objectContaining({ role: 'procesregie', holder: ILSE, previous: null }),
      ]);
      await s.command(sanne, 'put', regiePath(f, 'procesregie'), { ...ILSE }, 409);
    });

    it('needs the name and organisation of an independent professional (422), appending nothing', async () => {
      const f = await familyWithPlan();
      const before = await eventCount();
      const bare = await s.command(
        sanne,
        'put',
        regiePath(f, 'procesregie'),
        { professionalId: ILSE.professionalId },
        422,
      );
      expect(bare.body.errors[0].field).toBe('name');
      const noOrganisation = await s.command(
        sanne,
        'put',
        regiePath(f, 'procesregie'),
        { professionalId: ILSE.professionalId, name: ILSE.name },
        422,
      );
      expect(noOrganisation.body.errors[0].field).toBe('organisation');
      expect(await eventCount()).toBe(before);
    });
  });

  describe('perspectiefregie', () => {
    it('goes to a case-team member by id alone and has at most one holder', async () => {
      const f = await familyWithPlan();
      await s.command(
        sanne,
        'put',
        regiePath(f, 'perspectiefregie'),
        { professionalId: SANNE.professionalId },
        200,
      );
      let views = await regieViews(f);
      expect(views.family).toEqual({
        casusregisseur: null,
        perspectiefregisseur: SANNE,
        procesregisseur: null,
      });
      expect(views.plan.perspectiefregisseur).toEqual(SANNE);

      await s.command(
        sanne,
        'put',
        regiePath(f, 'perspectiefregie'),
        { professionalId: SANNE.professionalId },
        409,
      );
      await s.command(
        sanne,
        'put',
        regiePath(f, 'perspectiefregie'),
        { professionalId: JOKE.professionalId },
        200,
      );
      views = await regieViews(f);
      expect(views.family.perspectiefregisseur).toEqual(JOKE);
      expect(views.plan.perspectiefregisseur).toEqual(JOKE);
      expect(views.family.casusregisseur).toBeNull();
      expect(
        (await planEvents(f, 'gezinsplan.RegieAssigned')).map((d) => [
          d.role,
          (d.holder as { professionalId: string }).professionalId,
          (d.previous as { professionalId: string } | null)?.professionalId ?? null,
        ]),
      ).toEqual([
        ['perspectiefregie', SANNE.professionalId, null],
        ['perspectiefregie', JOKE.professionalId, SANNE.professionalId],
      ]);
    });
  });

  describe('bad requests, outsiders and families without an active plan', () => {
    it('names the bad part of the request in a 400 and appends nothing', async () => {
      const f = await familyWithPlan();
      const before = await eventCount();

      const role = await s.command(
        sanne,
        'put',
        regiePath(f, 'superregie'),
        { professionalId: JOKE.professionalId },
        400,
      );
      expect(role.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(fields(role.body)).toEqual(['role']);

      const familyId = await s.command(
        sanne,
        'put',
        regiePath('not-a-uuid', 'casusregie'),
        { professionalId: JOKE.professionalId },
        400,
      );
      expect(fields(familyId.body)).toEqual(['familyId']);

      const unknown = await s.command(
        sanne,
        'put',
        regiePath(f, 'casusregie'),
        { professionalId: JOKE.professionalId, colour: 'red' },
        400,
      );
      expect(fields(unknown.body)).toEqual(['colour']);

      const missing = await s.command(sanne, 'put', regiePath(f, 'casusregie'), {}, 400);
      expect(fields(missing.body)).toEqual(['professionalId']);

      const empty = await s.command(
        sanne,
        'put',
        regiePath(f, 'procesregie'),
        { professionalId: '', name: '', organisation: 42 },
        400,
      );
      expect(fields(empty.body)).toEqual(['name', 'organisation', 'professionalId']);

      expect(await eventCount()).toBe(before);
    });

    it('answers 404 to an outsider, appending nothing', async () => {
      const f = await familyWithPlan();
      const outsider = await t.token({ sub: 'prof-outsider', teams: [randomUUID()] });
      const before = await eventCount();
      for (const [role, body] of [
        ['casusregie', { professionalId: JOKE.professionalId }],
        ['perspectiefregie', { professionalId: JOKE.professionalId }],
        ['procesregie', { ...ILSE }],
      ] as const) {
        const refused = await s.command(outsider, 'put', regiePath(f, role), body, 404);
        expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
      }
      // Even the independent procesregisseur-to-be cannot act on a family she does not know of.
      await s.command(ilse, 'put', regiePath(f, 'procesregie'), { ...ILSE }, 404);
      expect(await eventCount()).toBe(before);
    });

    it('answers 404 without an active plan, and a closed plan no longer shows its regie', async () => {
      const f = await family();
      const unknownFamily = randomUUID();
      let before = await eventCount();
      await s.command(
        sanne,
        'put',
        regiePath(f, 'casusregie'),
        { professionalId: JOKE.professionalId },
        404,
      );
      await s.command(sanne, 'put', regiePath(f, 'procesregie'), { ...ILSE }, 404);
      await s.command(
        sanne,
        'put',
        regiePath(unknownFamily, 'casusregie'),
        { professionalId: JOKE.professionalId },
        404,
      );
      expect(await eventCount()).toBe(before);
      expect(
        (await s.read(sanne, `/api/v1/families/${f.familyId}`).expect(200)).body.regie,
      ).toEqual({
        casusregisseur: null,
        perspectiefregisseur: null,
        procesregisseur: null,
      });

      await s.command(sanne, 'post', planPath(f), {}, 201);
      await s.command(
        sanne,
        'put',
        regiePath(f, 'casusregie'),
        { professionalId: JOKE.professionalId },
        200,
      );
      await s.command(
        sanne,
        'put',
        regiePath(f, 'perspectiefregie'),
        { professionalId: SANNE.professionalId },
        200,
      );
      await s.command(sanne, 'put', regiePath(f, 'procesregie'), { ...ILSE }, 200);
      expect((await regieViews(f)).family).toEqual({
        casusregisseur: JOKE,
        perspectiefregisseur: SANNE,
        procesregisseur: ILSE,
      });

      await s.command(sanne, 'post', planPath(f, '/closure'), { reason: 'goals_achieved' }, 200);
      before = await eventCount();
      await s.command(
        sanne,
        'put',
        regiePath(f, 'casusregie'),
        { professionalId: SANNE.professionalId },
        404,
      );
      expect(await eventCount()).toBe(before);
      expect(
        (await s.read(sanne, `/api/v1/families/${f.familyId}`).expect(200)).body.regie,
      ).toEqual({
        casusregisseur: null,
        perspectiefregisseur: null,
        procesregisseur: null,
      });

      // A new plan starts without regie.
      await s.command(sanne, 'post', planPath(f), {}, 201);
      expect((await regieViews(f)).plan).toEqual({
        casusregisseur: null,
        perspectiefregisseur: null,
        procesregisseur: null,
        casusregieVacantSince: null,
      });
    });
  });

  describe('vacancy', () => {
    it('records a vacancy when a plan is first agreed without a casusregisseur; assigning clears it', async () => {
      const f = await familyWithPlan();
      expect((await regieViews(f)).plan.casusregieVacantSince).toBeNull();

      await agree(f);

      const vacant = await planEvents(f, 'gezinsplan.CasusregieVacant');
      expect(vacant).toEqual([{ planId: expect.any(String), since: expect.stringMatching(/Z$/) }]);
      const agreedView = await s.read(sanne, planPath(f)).expect(200);
      expect(agreedView.body.status).toBe('agreed');
      expect(agreedView.body.regie.casusregieVacantSince).toBe(vacant[0].since);
      expect(agreedView.body.regie.casusregisseur).toBeNull();

      await s.command(
        sanne,
        'put',
        regiePath(f, 'casusregie'),
        { professionalId: JOKE.professionalId },
        200,
      );
      const filled = await s.read(sanne, planPath(f)).expect(200);
      expect(filled.body.regie).toEqual({
        casusregisseur: JOKE,
        perspectiefregisseur: null,
        procesregisseur: null,
        casusregieVacantSince: null,
      });
      expect(await planEvents(f, 'gezinsplan.CasusregieVacant')).toHaveLength(1);
    });

    it('records no vacancy when casusregie was assigned before the first agreement', async () => {
      const f = await familyWithPlan();
      await s.command(
        sanne,
        'put',
        regiePath(f, 'casusregie'),
        { professionalId: JOKE.professionalId },
        200,
      );
      await agree(f);
      expect(await planEvents(f, 'gezinsplan.CasusregieVacant')).toEqual([]);
      expect((await s.read(sanne, planPath(f)).expect(200)).body.regie).toMatchObject({
        casusregisseur: JOKE,
        casusregieVacantSince: null,
      });
    });
  });

  describe('inbox', () => {
    it("lists the family on each regisseur's desk with their roles", async () => {
      const f = await familyWithPlan();
      await s.command(
        sanne,
        'put',
        regiePath(f, 'casusregie'),
        { professionalId: JOKE.professionalId },
        200,
      );
      await s.command(
        sanne,
        'put',
        regiePath(f, 'perspectiefregie'),
        { professionalId: SANNE.professionalId },
        200,
      );
      await s.command(sanne, 'put', regiePath(f, 'procesregie'), { ...ILSE }, 200);

      const rolesOf = async (token: string) => {
        const inbox = await s.read(token, '/api/v1/me/inbox').expect(200);
        const entry = inbox.body.cases.find((c: { familyId: string }) => c.familyId === f.familyId);
        return entry ? [...entry.roles].sort() : undefined;
      };

      expect(await rolesOf(ggd)).toEqual(['case_team', 'casusregisseur']);
      expect(await rolesOf(sanne)).toEqual(['case_team', 'perspectiefregisseur']);
      const ilseInbox = await s.read(ilse, '/api/v1/me/inbox').expect(200);
      expect(
        ilseInbox.body.cases.find((c: { familyId: string }) => c.familyId === f.familyId),
      ).toEqual({
        familyId: f.familyId,
        roles: ['procesregisseur'],
        openSignals: 0,
        overdueActions: 0,
        concerns: [],
      });

      // A handover moves the role from one desk to the other.
      await s.command(
        sanne,
        'put',
        regiePath(f, 'casusregie'),
        { professionalId: SANNE.professionalId },
        200,
      );
      expect(await rolesOf(ggd)).toEqual(['case_team']);
      expect(await rolesOf(sanne)).toEqual(['case_team', 'casusregisseur', 'perspectiefregisseur']);

      // Once the plan is closed the independent procesregisseur no longer has the case.
      await s.command(sanne, 'post', planPath(f, '/closure'), { reason: 'other' }, 200);
      expect(await rolesOf(ilse)).toBeUndefined();
      expect(await rolesOf(ggd)).toEqual(['case_team']);
    });
  });

  it('documents the regie endpoint in the OpenAPI document', async () => {
    const response = await t.http.get('/docs-json').expect(200);
    const path = response.body.paths['/api/v1/families/{familyId}/regie/{role}'];
    expect(path).toBeDefined();
    expect(path.put).toBeDefined();
    const role = path.put.parameters.find((p: { name: string }) => p.name === 'role');
    expect(role.in).toBe('path');
    expect(role.schema.enum).toEqual(['casusregie', 'perspectiefregie', 'procesregie']);
  });
});
