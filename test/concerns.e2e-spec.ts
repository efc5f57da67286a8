import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PersonalDataVault } from '#libs/personal-data/personal-data-vault.js';
import { dump } from './support/database-dump.js';
import { DAAN_BSN, PAULIEN_AND_DAAN, teamWithAreas } from './support/concern-fixtures.js';
import { httpSession, type HttpSession } from './support/http-session.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const UNKNOWN_BSN = '123456782';
const ABSENCE = 'Daan is sinds oktober vaak afwezig';
const ARREARS = 'Drie maanden huurachterstand';

describe('concerns from partner organisations', () => {
  let t: TestApp;
  let s: HttpSession;
  let sanne: string; // SLT Haven: intake
  let poortColleague: string; // SLT Poort
  let teacher: string; // De Regenboog (a school)
  let housing: string; // Woonstichting (a housing corporation)
  let gp: string; // on the Jansen case team
  let citizen: string;
  let haven: string;
  let familyId: string;
  let daan: string;

  const file = (token: string, body: object, status = 201) =>
    s.send(token, 'post', '/api/v1/concerns', body, status);
  const queue = async (token: string, teamId = haven, query = '') =>
    (await s.read(token, `/api/v1/teams/${teamId}/concerns${query}`).expect(200)).body.items;
  const concern = (token: string, id: string) => s.read(token, `/api/v1/concerns/${id}`);
  const mine = async (token: string) =>
    (await s.read(token, '/api/v1/concerns/mine').expect(200)).body.items;
  const step = (token: string, id: string, what: string, body?: object, status = 200) =>
    s.send(token, 'post', `/api/v1/concerns/${id}/${what}`, body, status);
  const aboutDaan = {
    subject: { bsn: DAAN_BSN, postcode: '1354 ab', houseNumber: '12' },
    category: 'school_absence',
    urgency: 'normal',
    description: ABSENCE,
  };

  beforeAll(async () => {
    t = await startTestApp({ LOG_LEVEL: process.env.DEBUG_LOG ?? 'silent' });
    s = httpSession(t);
    haven = await teamWithAreas(t, s, 'Haven', ['1354']);
    const poort = await teamWithAreas(t, s, 'Poort', ['1363']);
    sanne = await t.token({ sub: 'prof-sanne', teams: [haven] });
    poortColleague = await t.token({
      sub: 'prof-pim',
      name: 'Pim',
      organisation: 'SLT Poort',
      teams: [poort],
    });
    teacher = await t.token({
      sub: 'prof-devries',
      name: 'Mw. De Vries',
      organisation: 'De Regenboog',
    });
    housing = await t.token({
      sub: 'prof-woon',
      name: 'Dhr. Bakker',
      organisation: 'Woonstichting',
    });
    gp = await t.token({ sub: 'prof-gp', name: 'Dr. Peters', organisation: 'Huisartsenpraktijk' });
    citizen = await t.token({ sub: 'citizen-1', roles: ['citizen'] });
    const family = await s.send(
      sanne,
      'post',
      '/api/v1/families',
      {
        teamId: haven,
        members: PAULIEN_AND_DAAN,
        address: { postcode: '1354AB', houseNumber: '12' },
      },
      201,
    );
    ({ familyId } = family);
    daan = family.memberIds[1];
    await s.send(
      sanne,
      'post',
      `/api/v1/families/${familyId}/case-team`,
      {
        professionalId: 'prof-gp',
        name: 'Dr. Peters',
        organisation: 'Huisartsenpraktijk',
        discipline: 'huisarts',
      },
      200,
    );
  });

  afterAll(() => t?.close());

  describe('filing', () => {
    it('names each invalid field (400), refuses an address outside every wijk (422) and non-professionals (403), and stores nothing then', async () => {
      const invalid: Array<[object, string[]]> = [
        [
          {
            ...aboutDaan,
            subject: { postcode: '1354AB', houseNumber: '12', familyName: 'Jansen' },
          },
          ['subject'],
        ],
        [{ ...aboutDaan, subject: { ...aboutDaan.subject, bsn: '111222334' } }, ['subject.bsn']],
        [
          { ...aboutDaan, subject: { ...aboutDaan.subject, postcode: '0354AB' } },
          ['subject.postcode'],
        ],
        [{ ...aboutDaan, category: 'gossip', urgency: 'now' }, ['category', 'urgency']],
        [{ ...aboutDaan, description: '   ' }, ['description']],
        [{ ...aboutDaan, reporterName: 'x' }, ['reporterName']],
      ];
      for (const [body, fields] of invalid) {
        const problem = await file(teacher, body, 400);
        expect([body, problem.errors.map((e: { field: string }) => e.field).sort()]).toEqual([
          body,
          fields,
        ]);
      }
      const outside = await file(
        teacher,
        { ...aboutDaan, subject: { ...aboutDaan.subject, postcode: '9999ZZ' } },
        422,
      );
      expect(outside.detail).toMatch(/9999 lies in no SLT team's wijk/);
      await file(citizen, aboutDaan, 403);
      const rows = await t.infra.dataSource.query(
        "SELECT count(*)::int AS n FROM events WHERE type LIKE 'concern.%'",
      );
      expect(rows[0].n).toBe(0);
    });

    it('answers the same whether or not the subject is known', async () => {
      const known = await file(teacher, aboutDaan);
      const unknown = await file(teacher, {
        ...aboutDaan,
        subject: { bsn: UNKNOWN_BSN, postcode: '1354AC', houseNumber: '3' },
      });
      expect(Object.keys(known).sort()).toEqual(['concernId', 'position']);
      expect(Object.keys(unknown).sort()).toEqual(['concernId', 'position']);
      const items = await mine(teacher);
      expect(items.map((i: { concernId: string }) => i.concernId).sort()).toEqual(
        [known.concernId, unknown.concernId].sort(),
      );
      for (const item of items) {
        expect(item).toEqual({
          concernId: expect.any(String),
          receivedAt: expect.any(String),
          category: 'school_absence',
          urgency: 'normal',
          status: 'received',
          contact: null,
          matchedOrganisations: [],
        });
      }
    });
  });

  describe('intake', () => {
    let exact: string;
    let byName: string;
    let byAddress: string;

    beforeAll(async () => {
      ({ concernId: exact } = await file(housing, {
        ...aboutDaan,
        category: 'rent_arrears',
        description: ARREARS,
      }));
      ({ concernId: byName } = await file(housing, {
        subject: {
          familyName: 'jansen ',
          dateOfBirth: '1990-03-14',
          postcode: '1354AB',
          houseNumber: '99',
        },
        category: 'debts',
        urgency: 'urgent',
        description: 'Schulden',
      }));
      ({ concernId: byAddress } = await file(housing, {
        subject: {
          familyName: 'Pietersen',
          dateOfBirth: '1970-01-01',
          postcode: '1354AB',
          houseNumber: '12',
        },
        category: 'nuisance',
        urgency: 'normal',
        description: 'Overlast',
        onBehalfOf: 'een buurvrouw',
      }));
    });

    it("shows the team's queue with exact and possible matches, to intake only", async () => {
      const items = await queue(sanne);
      const byId = new Map(items.map((i: { concernId: string }) => [i.concernId, i]));
      expect(byId.get(exact)).toMatchObject({
        status: 'received',
        overdue: false,
        match: { familyId, certainty: 'exact' },
      });
      expect(byId.get(byName)).toMatchObject({
        urgency: 'urgent',
        match: { familyId, certainty: 'possible' },
      });
      expect(byId.get(byAddress)).toMatchObject({ match: { familyId, certainty: 'possible' } });
      expect(items.find((i: { match: unknown }) => i.match === null)).toBeDefined(); // the unknown subject
      for (const outsider of [teacher, housing, poortColleague, citizen, gp]) {
        await s.read(outsider, `/api/v1/teams/${haven}/concerns`).expect(404);
      }
    });

    it('does not propose a rejected match again', async () => {
      await step(sanne, byAddress, 'match-rejection', { familyId });
      const items = await queue(sanne);
      expect(items.find((i: { concernId: string }) => i.concernId === byAddress).match).toBeNull();
      await step(sanne, byAddress, 'match-rejection', { familyId }, 409);
    });

    it('lets two organisations worrying about one person see that, never what', async () => {
      const teachers = await mine(teacher);
      const housings = await mine(housing);
      const daanTeacher = teachers.find(
        (i: { category: string; matchedOrganisations: string[] }) =>
          i.matchedOrganisations.length > 0,
      );
      expect(daanTeacher.matchedOrganisations).toEqual(['Woonstichting']);
      expect(
        housings.find((i: { concernId: string }) => i.concernId === exact).matchedOrganisations,
      ).toEqual(['De Regenboog']);
      const text = JSON.stringify([teachers, housings]);
      expect(text).not.toContain(ARREARS);
      expect(text).not.toContain(ABSENCE);
      await concern(teacher, exact).expect(404);
    });

    it("takes a concern up once, links it to the family and shows it by each reader's view", async () => {
      await step(teacher, exact, 'triage', undefined, 404);
      await step(housing, exact, 'triage', undefined, 403);
      await step(sanne, exact, 'triage');
      await step(sanne, exact, 'triage', undefined, 409);
      expect(
        (await mine(housing)).find((i: { concernId: string }) => i.concernId === exact).contact,
      ).toEqual({
        name: 'Sanne de Vries',
        organisation: 'SLT Haven',
      });
      const unknownFamily = await step(sanne, exact, 'link', { familyId: exact }, 422);
      expect(unknownFamily.errors.map((e: { field: string }) => e.field)).toEqual(['familyId']);
      await step(sanne, exact, 'link', { familyId, memberId: daan });

      const full = (await concern(sanne, exact).expect(200)).body;
      expect(full).toMatchObject({
        concernId: exact,
        status: 'linked',
        familyId,
        match: { familyId, certainty: 'exact' },
        subject: { bsn: DAAN_BSN, postcode: '1354AB', houseNumber: '12' },
        description: ARREARS,
        reporter: { name: 'Dhr. Bakker', organisation: 'Woonstichting' },
      });
      expect(full.history.map((h: { event: string }) => h.event)).toEqual([
        'ConcernReceived',
        'ConcernTakenUp',
        'ConcernLinked',
      ]);

      const reporters = (await concern(housing, exact).expect(200)).body;
      expect(reporters).toMatchObject({ description: ARREARS, status: 'linked' });
      for (const field of ['familyId', 'match', 'history', 'contactAttempts'])
        expect(reporters).not.toHaveProperty(field);

      const caseTeams = (await concern(gp, exact).expect(200)).body;
      expect(Object.keys(caseTeams).sort()).toEqual(['category', 'concernId', 'receivedAt']);

      for (const outsider of [teacher, poortColleague, citizen])
        await concern(outsider, exact).expect(404);
    });

    it('dismisses with a reason, and reopens once', async () => {
      const dismissal = await step(sanne, byAddress, 'dismissal', { reason: ' ' }, 400);
      expect(dismissal.errors.map((e: { field: string }) => e.field)).toEqual(['reason']);
      await step(sanne, byAddress, 'dismissal', { reason: 'Geen zorgen na huisbezoek' });
      await step(sanne, byAddress, 'dismissal', { reason: 'Nog eens' }, 409);
      await step(sanne, byAddress, 'reopening', { reason: 'Nieuwe melding van de buren' });
      expect((await concern(sanne, byAddress).expect(200)).body.status).toBe('in_triage');
      await step(sanne, byAddress, 'dismissal', { reason: 'Toch geen zorgen' });
      await step(sanne, byAddress, 'reopening', { reason: 'Weer' }, 409);
      expect(await queue(sanne, haven, '?status=dismissed')).toEqual([
        expect.objectContaining({ concernId: byAddress, status: 'dismissed', dueAt: null }),
      ]);
    });
  });

  it('destroys a concern with the erasure of the member it was linked to', async () => {
    const { concernId } = await file(teacher, { ...aboutDaan, description: 'Vaak te laat' });
    await step(sanne, concernId, 'triage');
    await step(sanne, concernId, 'link', { familyId, memberId: daan });
    await concern(sanne, concernId).expect(200);
    const officer = await t.token({ sub: 'po-1', name: 'Privacy', roles: ['privacy_officer'] });
    const member = `/api/v1/families/${familyId}/members/${daan}`;
    const { requestId } = await s.send(
      sanne,
      'post',
      `${member}/erasure-requests`,
      { reason: 'Verzoek van Daan' },
      201,
    );
    await s.send(
      officer,
      'post',
      `/api/v1/erasure-requests/${requestId}/decision`,
      { grant: true, reason: 'AVG art. 17' },
      200,
    );
    // Moving the clock by nothing runs the timers that are due now.
    await s.advanceDays(0);
    await concern(sanne, concernId).expect(404);
    await concern(teacher, concernId).expect(404);
    expect((await mine(teacher)).map((i: { concernId: string }) => i.concernId)).not.toContain(
      concernId,
    );
    const events = await t.infra.dataSource.query(
      "SELECT data FROM events WHERE type = 'concern.ConcernDestroyed' AND data->>'concernId' = $1",
      [concernId],
    );
    expect(events.map((e: { data: { cause: string } }) => e.data.cause)).toEqual(['erasure']);
    // Its key is gone: no copy of its sealed texts (a backup, say) can be opened any more.
    expect(await t.app.get(PersonalDataVault).isShredded(concernId)).toBe(true);
  });

  it('keeps no plaintext of a concern in any table', async () => {
    await s.settled();
    const text = await dump(t.infra.dataSource);
    for (const secret of [
      UNKNOWN_BSN,
      ABSENCE,
      ARREARS,
      'een buurvrouw',
      'Pietersen',
      'Overlast',
    ]) {
      expect([secret, text.includes(secret)]).toEqual([secret, false]);
    }
  });
});
