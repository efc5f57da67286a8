import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DemoData } from '../src/demo/demo-data.js';
import { DEMO_TEAMS } from '../src/demo/demo-professionals.js';
import { httpSession, type HttpSession } from './support/http-session.js';
import { startTestApp, type TestApp } from './support/test-app.js';

// What the demo families hold (src/demo/demo-data.ts): names, a BSN and goal texts by level.
const P = {
  names: ['Paulien', 'Visser', 'Jayden'],
  bsn: '111222333',
  masked: '******333',
  housing: 'Een huis waar mijn kinderen en ik kunnen wonen', // case_team
  debt: 'Geen nieuwe schulden maken', // case_team
  health: 'Gezond blijven tijdens de zwangerschap', // need_to_know (physical_health)
  creche: 'Noah krijgt een plekje op de peuteropvang', // case_team, about Noah (1)
  signal: 'Geen woningaanbieder wil handelen', // case_team
};
const A = {
  names: ['Asha', 'Bakker', 'Miriam'],
  housing: 'Een plek om te wonen waar ik me veilig voel', // case_team
  mental: 'Minder last van mijn eetstoornis', // need_to_know (mental_health)
  safety: 'Niet meer bij het spoor terechtkomen', // case_team (safety)
  signal: 'Door de politie meermaals bij het spoor', // restricted (a safety signal)
};

// The demo concerns (src/demo/demo-data.ts): the school's, linked to Paulien, and the
// corporation's about a tenant nobody knows.
const C = {
  school: 'bijna niet meer op de opleiding geweest',
  schoolReporter: 'Esther de Graaf',
  rent: 'Vier maanden huurachterstand',
  rentSubject: 'Vermeulen',
  asha: 'Asha eet nauwelijks en is vaak onrustig',
  ashaAddress: '1356ZZ',
};

interface Views {
  family: { status: number; text: string; body: Record<string, unknown> };
  plan: { status: number; text: string };
  version: { status: number; text: string };
  escalation: { status: number; text: string };
  list: { status: number; text: string };
}

/**
 * Every viewer of privacy.md against every view of the demo families: the answer must not hold
 * what the viewer may not see (names, BSN digits, goal texts, signal texts), and must hold what
 * they may see. The texts are checked in the raw response body, so nothing hides in a field.
 */
describe('privacy matrix on the demo families', () => {
  let t: TestApp;
  let paulien: string;
  let asha: string;
  let ashaEscalation: string;
  let paulienEscalation: string;
  let ashaIds: { asha: string; miriam: string };
  let paulienIds: { paulien: string; jayden: string };
  let session: HttpSession;

  const token = (claims: Record<string, unknown>) =>
    t.token({ name: 'N', organisation: 'X', roles: ['professional'], teams: [], ...claims });
  /** A professional (or, with roles, a team lead) of SLT Haven. */
  const havenToken = (sub: string, roles?: string[]) =>
    token({
      sub,
      organisation: 'SLT Haven',
      ...(roles ? { roles } : {}),
      teams: [DEMO_TEAMS.haven],
    });

  async function views(familyId: string, escalationId: string, who: string): Promise<Views> {
    const get = async (path: string) => {
      const r = await session.read(who, path);
      return { status: r.status, text: r.text, body: r.body };
    };
    const f = `/api/v1/families/${familyId}`;
    return {
      family: await get(f),
      plan: await get(`${f}/plan`),
      version: await get(`${f}/plan/versions/1`),
      escalation: await get(`/api/v1/escalations/${escalationId}`),
      list: await get(`/api/v1/escalations?familyId=${familyId}`),
    };
  }

  const all = (v: Views) =>
    [v.family.text, v.plan.text, v.version.text, v.escalation.text, v.list.text].join('\n');

  beforeAll(async () => {
    t = await startTestApp({ DEMO_DATA: 'true' });
    session = httpSession(t);
    ({ paulien, asha } = t.app.get(DemoData).summary!);
    const head = await t.infra.eventStore.headPosition();
    session.remember(`${head!.commit}-${head!.prepare}`);
    const sanne = await havenToken('demo-sanne');
    const youri = await token({
      sub: 'demo-youri',
      organisation: 'SLT Stad-West',
      teams: [DEMO_TEAMS.stadWest],
    });
    const ids = async (familyId: string, who: string) =>
      (await session.read(who, `/api/v1/families/${familyId}`).expect(200)).body.members.map(
        (m: { memberId: string }) => m.memberId,
      ) as string[];
    const [pId, , jId] = await ids(paulien, sanne);
    const [aId, mId] = await ids(asha, youri);
    paulienIds = { paulien: pId, jayden: jId };
    ashaIds = { asha: aId, miriam: mId };
    const list = async (familyId: string, who: string) =>
      (await session.read(who, `/api/v1/escalations?familyId=${familyId}`).expect(200)).body
        .items[0].escalationId as string;
    paulienEscalation = await list(paulien, sanne);
    ashaEscalation = await list(asha, youri);
  });
  afterAll(async () => t?.close());

  it('gives the casusregisseur everything, with the BSN masked', async () => {
    const sanne = await havenToken('demo-sanne');
    const v = await views(paulien, paulienEscalation, sanne);
    const text = all(v);
    for (const s of [...P.names, P.masked, P.housing, P.health, P.creche, P.signal])
      expect(text).toContain(s);
    expect(text).not.toContain(P.bsn);
  });

  it('gives case-team professionals names and items by level: need_to_know only in their domain or with an action', async () => {
    const plangroep = await token({ sub: 'demo-plangroep', organisation: 'PLANgroep' });
    const jgz = await token({ sub: 'demo-jgz', organisation: 'GGD Flevoland' });
    const debt = all(await views(paulien, paulienEscalation, plangroep));
    for (const s of [P.names[0], P.housing, P.debt, P.creche, P.signal]) expect(debt).toContain(s);
    for (const s of [P.health, P.bsn, P.masked]) expect(debt).not.toContain(s);
    const health = all(await views(paulien, paulienEscalation, jgz));
    expect(health).toContain(P.health);

    const youz = await token({ sub: 'demo-ggz', organisation: 'Youz' });
    const police = await token({ sub: 'demo-police', organisation: 'Politie Midden-Nederland' });
    const ggz = all(await views(asha, ashaEscalation, youz));
    expect(ggz).toContain(A.mental);
    expect(ggz).not.toContain(A.signal); // a restricted safety signal: summary only
    expect(all(await views(asha, ashaEscalation, police))).not.toContain(A.mental);
  });

  it('scopes the regisseurs: perspectief reads all but restricted, proces titles only, brandpunt the dossier only', async () => {
    const youri = await token({
      sub: 'demo-youri',
      organisation: 'SLT Stad-West',
      teams: [DEMO_TEAMS.stadWest],
    });
    const lead = await token({
      sub: 'lead-west',
      roles: ['team_lead'],
      teams: [DEMO_TEAMS.stadWest],
    });
    await session.send(
      youri,
      'put',
      `/api/v1/families/${asha}/regie/perspectiefregie`,
      { professionalId: 'persp-1', name: 'Pia', organisation: 'Gemeente' },
      200,
    );
    const persp = await token({ sub: 'persp-1', organisation: 'Gemeente' });
    const p = all(await views(asha, ashaEscalation, persp));
    for (const s of [A.names[0], A.housing, A.mental]) expect(p).toContain(s);
    expect(p).not.toContain(A.signal);

    const e = `/api/v1/escalations/${ashaEscalation}`;
    await session.send(
      lead,
      'post',
      `${e}/appointment`,
      { professionalId: 'proces-1', name: 'Ilse', organisation: 'Procesregie' },
      200,
    );
    const proces = await token({
      sub: 'proces-1',
      organisation: 'Procesregie',
      roles: ['procesregisseur'],
    });
    const pr = await views(asha, ashaEscalation, proces);
    expect(pr.plan.text).toContain(A.housing);
    expect(pr.plan.text).not.toContain(A.mental);
    expect(pr.escalation.text).toContain(A.signal);
    expect(pr.family.text).toContain('Asha');

    await session.send(
      proces,
      'post',
      `${e}/escalation`,
      { reason: 'Doorzettingsmacht nodig' },
      200,
    );
    const bp = await token({
      sub: 'bp-1',
      organisation: 'Gemeente',
      roles: ['brandpuntfunctionaris'],
    });
    await session.send(
      bp,
      'post',
      `${e}/appointment`,
      { professionalId: 'bp-1', name: 'Bert', organisation: 'Gemeente' },
      200,
    );
    const b = await views(asha, ashaEscalation, bp);
    expect(b.escalation.text).toContain(A.signal);
    for (const s of [A.housing, A.mental, A.safety]) expect(b.plan.text).not.toContain(s);
    expect(b.family.text).toContain('Asha');
  });

  it('gives the brandpunt pool a level only while nobody holds it: then the holder alone reads the dossier', async () => {
    const sanne = await havenToken('demo-sanne');
    const proces = await token({
      sub: 'proces-9',
      organisation: 'Procesregie',
      roles: ['procesregisseur'],
    });
    const pool = await token({
      sub: 'bp-2',
      organisation: 'Gemeente',
      roles: ['brandpuntfunctionaris'],
    });
    const holder = await token({
      sub: 'bp-3',
      organisation: 'Gemeente',
      roles: ['brandpuntfunctionaris'],
    });
    const text = 'Geen enkele school neemt Noah aan';
    const raised = await session.send(
      sanne,
      'post',
      `/api/v1/families/${paulien}/signals`,
      { category: 'waiting_list', description: text },
      201,
    );
    const e = `/api/v1/escalations/${raised.escalationId}`;
    await session.send(
      sanne,
      'post',
      `${e}/escalation`,
      { reason: 'Niet op te lossen in het team' },
      200,
    );
    await session.send(
      proces,
      'post',
      `${e}/appointment`,
      { professionalId: 'proces-9', name: 'Ilse', organisation: 'Procesregie' },
      200,
    );
    await session.send(
      proces,
      'post',
      `${e}/escalation`,
      { reason: 'Doorzettingsmacht nodig' },
      200,
    );
    const decision = {
      solution: 'Plaatsing op de dichtstbijzijnde school als uitzondering',
      maatwerk: 'uitzondering',
      justification:
        'Zonder plaatsing mist Noah het hele schooljaar; geen reguliere route staat nog open voor hem.',
      directives: [
        { organisation: 'Gemeente', description: 'Regel de plaatsing', dueDate: '2099-01-01' },
      ],
    };
    // Unheld: the pool reads a summary to take it up, but only a holder decides.
    const unheld = await views(paulien, raised.escalationId, pool);
    expect(unheld.escalation.status).toBe(200);
    expect(unheld.escalation.text).toContain(text);
    await session.send(pool, 'post', `${e}/decision`, decision, 403);

    await session.send(
      holder,
      'post',
      `${e}/appointment`,
      { professionalId: 'bp-3', name: 'Bert', organisation: 'Gemeente' },
      200,
    );
    const held = await views(paulien, raised.escalationId, pool);
    expect(held.escalation.status).toBe(404);
    expect(JSON.parse(held.list.text)).toEqual({ items: [] });
    expect(all(held)).not.toContain(text);
    await session.send(pool, 'post', `${e}/decision`, decision, 404);
    const own = await views(paulien, raised.escalationId, holder);
    expect(own.escalation.text).toContain(text);
  });

  it('gives a professional with emergency access the family and plan as the casusregisseur sees them, BSN masked, no dossier, nothing to do', async () => {
    const elsewhere = await token({
      sub: 'slt-west-2',
      organisation: 'SLT Stad-West',
      teams: [DEMO_TEAMS.stadWest],
    });
    const before = await views(paulien, paulienEscalation, elsewhere);
    expect([before.family.status, before.plan.status]).toEqual([404, 404]);
    const granted = await session.send(
      elsewhere,
      'post',
      '/api/v1/emergency-access',
      { subject: { bsn: P.bsn }, reason: 'Acute zorg om de veiligheid van de kinderen vannacht' },
      201,
    );
    expect(granted.families).toEqual([{ familyId: paulien }]);
    const v = await views(paulien, paulienEscalation, elsewhere);
    const family = [v.family.text, v.plan.text, v.version.text].join('\n');
    for (const s of [...P.names, P.masked, P.housing, P.debt, P.health, P.creche]) {
      expect(family).toContain(s);
    }
    expect(all(v)).not.toContain(P.bsn);
    expect(v.escalation.status).toBe(404);
    expect(all(v)).not.toContain(P.signal);
    await session.send(
      elsewhere,
      'post',
      `/api/v1/families/${paulien}/plan/notes`,
      { text: 'x' },
      403,
    );
  });

  it('gives SLT colleagues and team leads pseudonyms and status, never names or texts', async () => {
    const colleague = await havenToken('slt-2');
    const lead = await havenToken('lead-haven', ['team_lead']);
    for (const who of [colleague, lead]) {
      const v = await views(paulien, paulienEscalation, who);
      const text = all(v);
      for (const s of [
        ...P.names,
        P.bsn,
        P.masked,
        P.housing,
        P.debt,
        P.health,
        P.creche,
        P.signal,
      ]) {
        expect(text).not.toContain(s);
      }
      expect(v.family.status).toBe(200);
      expect(v.family.text).toMatch(/"pseudonym":"P-/);
      expect(v.plan.status).toBe(200);
    }
    const c = await views(paulien, paulienEscalation, colleague);
    expect(c.plan.text).toContain('demo-sanne'); // who holds casusregie
    expect(c.escalation.status).toBe(404);
    const l = await views(paulien, paulienEscalation, lead);
    expect(JSON.parse(l.escalation.text)).toEqual({
      escalationId: paulienEscalation,
      level: 0,
      status: 'open',
      ageDays: expect.any(Number),
    });
  });

  it('gives auditors a pseudonymised case and the dossier; policy analysts and strangers nothing (404)', async () => {
    const auditor = await token({ sub: 'aud-1', organisation: 'Auditdienst', roles: ['auditor'] });
    const a = all(await views(paulien, paulienEscalation, auditor));
    for (const s of [...P.names, P.bsn, P.masked, P.housing, P.health]) expect(a).not.toContain(s);
    expect(a).toContain(P.signal);

    const analyst = await token({ sub: 'pa-1', roles: ['policy_analyst'] });
    const stranger = await token({
      sub: 'prof-elders',
      teams: ['0b5f8a52-6a2e-4c1e-9d3f-5a7e1c2b9d99'],
    });
    for (const who of [analyst, stranger]) {
      const v = await views(paulien, paulienEscalation, who);
      expect([v.family.status, v.plan.status, v.version.status, v.escalation.status]).toEqual([
        404, 404, 404, 404,
      ]);
      expect(JSON.parse(v.list.text)).toEqual({ items: [] });
      for (const s of [...P.names, P.housing, P.signal]) expect(all(v)).not.toContain(s);
    }
    const f = `/api/v1/families/${paulien}`;
    for (const path of [`${f}/plan/versions`, `${f}/access-log`]) {
      await t.http.get(path).auth(stranger, { type: 'bearer' }).expect(404);
    }
    await t.http
      .post(`${f}/signals`)
      .auth(stranger, { type: 'bearer' })
      .send({ category: 'other', description: 'x' })
      .expect(404);
    await t.http
      .post(`${f}/members/${paulienIds.paulien}/bsn-reveal`)
      .auth(stranger, { type: 'bearer' })
      .send({ reason: 'nieuwsgierig naar het BSN' })
      .expect(404);
    const strangerCommands: Array<[string, 'post' | 'put', object]> = [
      [
        `${f}/members/${paulienIds.paulien}/consents`,
        'post',
        { organisation: 'X', lifeDomain: 'housing', purpose: 'p' },
      ],
      [`${f}/members/${paulienIds.paulien}/erasure-requests`, 'post', { reason: 'weg ermee' }],
      [`${f}/regie/casusregie`, 'put', { professionalId: 'prof-elders' }],
      [
        `${f}/plan/goals`,
        'post',
        { familyWording: 'x', concerns: [paulienIds.paulien], lifeDomain: 'housing' },
      ],
      [
        `${f}/members`,
        'post',
        { givenName: 'X', familyName: 'Y', dateOfBirth: '2020-01-01', role: 'child' },
      ],
    ];
    for (const [path, method, body] of strangerCommands) {
      await t.http[method](path).auth(stranger, { type: 'bearer' }).send(body).expect(404);
    }
    const inbox = await t.http
      .get('/api/v1/me/inbox')
      .auth(stranger, { type: 'bearer' })
      .expect(200);
    expect(inbox.body).toEqual({ cases: [], escalations: [], concernAlerts: [] });
  });

  describe('concerns', () => {
    let schoolConcern: string;
    let rentConcern: string;
    const concern = async (who: string, id: string) => {
      const r = await session.read(who, `/api/v1/concerns/${id}`);
      return { status: r.status, text: r.text, body: r.body as Record<string, unknown> };
    };
    const mine = async (who: string) =>
      (await session.read(who, '/api/v1/concerns/mine').expect(200)).text;
    const full = ['history', 'contactAttempts', 'match', 'familyId', 'dueAt'];

    beforeAll(() => {
      ({ school: schoolConcern, rentArrears: rentConcern } = t.app.get(DemoData).summary!.concerns);
    });

    it("gives Haven's intake, professional and team lead alike, the full concerns of their wijk", async () => {
      const colleague = await havenToken('slt-haven-3');
      const lead = await havenToken('lead-haven-2', ['team_lead']);
      for (const who of [colleague, lead]) {
        const school = await concern(who, schoolConcern);
        expect(school.status).toBe(200);
        expect(school.body).toMatchObject({
          familyId: paulien,
          status: 'linked',
          subject: { bsn: P.bsn },
          match: { familyId: paulien, certainty: 'exact' },
          reporter: { name: C.schoolReporter, organisation: 'ROC Flevoland' },
        });
        expect(school.text).toContain(C.school);
        for (const field of full) expect(school.body).toHaveProperty(field);
        const rent = await concern(who, rentConcern);
        expect(rent.body).toMatchObject({ status: 'received', familyId: null, match: null });
        for (const s of [C.rent, C.rentSubject]) expect(rent.text).toContain(s);
        const queue = await session.read(who, `/api/v1/teams/${DEMO_TEAMS.haven}/concerns`);
        expect(queue.status).toBe(200);
        expect(queue.body.items.map((i: { concernId: string }) => i.concernId)).toEqual(
          expect.arrayContaining([schoolConcern, rentConcern]),
        );
      }
    });

    it('gives the reporter what they sent: no match, family, history or attempts', async () => {
      const school = await token({ sub: 'demo-school', organisation: 'ROC Flevoland' });
      const own = await concern(school, schoolConcern);
      expect(own.status).toBe(200);
      expect(own.body).toMatchObject({
        status: 'linked',
        subject: { bsn: P.bsn, postcode: '1354AB', houseNumber: '12' },
        contact: { organisation: 'SLT Haven' },
      });
      expect(own.text).toContain(C.school);
      for (const field of full) expect(own.body).not.toHaveProperty(field);
      // That the subject is a known family, and which, is never said.
      expect(own.text).not.toContain(paulien);
      expect(own.text).not.toContain('ConcernLinked');
      const list = await mine(school);
      expect(list).toContain(schoolConcern);
      for (const s of [paulien, C.school, C.rent, rentConcern]) expect(list).not.toContain(s);
      await session.read(school, `/api/v1/teams/${DEMO_TEAMS.haven}/concerns`).expect(404);
    });

    it("gives the linked family's case team the category and date only", async () => {
      const jgz = await token({ sub: 'demo-jgz', organisation: 'GGD Flevoland' });
      const seen = await concern(jgz, schoolConcern);
      expect(seen.status).toBe(200);
      expect(seen.body).toEqual({
        concernId: schoolConcern,
        receivedAt: expect.any(String),
        category: 'school_absence',
      });
      for (const s of [C.school, C.schoolReporter, P.bsn, paulien])
        expect(seen.text).not.toContain(s);
      expect((await concern(jgz, rentConcern)).status).toBe(404);
      expect(JSON.parse(await mine(jgz))).toEqual({ items: [] });
    });

    it('gives a reporter of another organisation, an SLT colleague of another team and a stranger nothing (404)', async () => {
      const corporation = await token({ sub: 'demo-corporation', organisation: 'Ymere' });
      const west = await token({
        sub: 'slt-west-3',
        organisation: 'SLT Stad-West',
        teams: [DEMO_TEAMS.stadWest],
      });
      const stranger = await token({
        sub: 'prof-elders',
        teams: ['0b5f8a52-6a2e-4c1e-9d3f-5a7e1c2b9d99'],
      });
      // The corporation reads its own concern, and nothing of the school's.
      expect((await concern(corporation, rentConcern)).text).toContain(C.rent);
      const secrets = [C.school, C.schoolReporter, P.bsn, paulien, 'Paulien', 'ROC Flevoland'];
      for (const who of [corporation, west, stranger]) {
        const v = await concern(who, schoolConcern);
        expect(v.status).toBe(404);
        for (const s of secrets) expect(v.text).not.toContain(s);
        if (who !== corporation) {
          const rent = await concern(who, rentConcern);
          expect(rent.status).toBe(404);
          for (const s of [C.rent, C.rentSubject]) expect(rent.text).not.toContain(s);
          expect(JSON.parse(await mine(who))).toEqual({ items: [] });
        }
        const queue = await session.read(who, `/api/v1/teams/${DEMO_TEAMS.haven}/concerns`);
        expect(queue.status).toBe(404);
        for (const s of [...secrets, C.rent, schoolConcern, rentConcern]) {
          expect(queue.text).not.toContain(s);
        }
        for (const step of ['triage', 'dismissal']) {
          const r = await t.http
            .post(`/api/v1/concerns/${rentConcern}/${step}`)
            .auth(who, { type: 'bearer' })
            .send(step === 'dismissal' ? { reason: 'weg ermee' } : undefined);
          // The reporter knows the concern exists (403); to anyone else it does not (404).
          expect(r.status).toBe(who === corporation ? 403 : 404);
        }
      }
    });

    it("gives the linked family's casusregisseur the full concern even from another team's wijk, and their case team its category", async () => {
      // Asha stays with friends in Haven: a concern goes to Haven's intake, who links it to her
      // family of Stad-West. Youri is no intake of Haven: he reads it as her casusregisseur.
      const reporter = await token({ sub: 'prof-vt', name: 'Vera', organisation: 'Veilig Thuis' });
      const intake = await token({
        sub: 'slt-haven-4',
        name: 'Ilona',
        organisation: 'SLT Haven',
        teams: [DEMO_TEAMS.haven],
      });
      const youri = await token({
        sub: 'demo-youri',
        organisation: 'SLT Stad-West',
        teams: [DEMO_TEAMS.stadWest],
      });
      const { concernId } = await session.send(
        reporter,
        'post',
        '/api/v1/concerns',
        {
          subject: {
            givenName: 'Asha',
            familyName: 'Bakker',
            dateOfBirth: '2008-01-01',
            postcode: C.ashaAddress,
            houseNumber: '3',
          },
          category: 'mental_health',
          urgency: 'urgent',
          description: C.asha,
        },
        201,
      );
      expect((await concern(youri, concernId)).status).toBe(404); // not linked yet
      await session.send(intake, 'post', `/api/v1/concerns/${concernId}/triage`, undefined, 200);
      await session.send(
        intake,
        'post',
        `/api/v1/concerns/${concernId}/link`,
        { familyId: asha, memberId: ashaIds.asha },
        200,
      );
      const regie = await concern(youri, concernId);
      expect(regie.status).toBe(200);
      expect(regie.body).toMatchObject({ familyId: asha, status: 'linked' });
      expect(regie.text).toContain(C.asha);
      for (const field of ['history', 'contactAttempts', 'familyId']) {
        expect(regie.body).toHaveProperty(field);
      }
      await session.read(youri, `/api/v1/teams/${DEMO_TEAMS.haven}/concerns`).expect(404);

      const youz = await token({ sub: 'demo-ggz', organisation: 'Youz' });
      const caseTeam = await concern(youz, concernId);
      expect(Object.keys(caseTeam.body).sort()).toEqual(['category', 'concernId', 'receivedAt']);
      for (const s of [C.asha, 'Veilig Thuis', C.ashaAddress]) {
        expect(caseTeam.text).not.toContain(s);
      }
      // Paulien's casusregisseur is no party to Asha's concern.
      const sanneElsewhere = await token({ sub: 'demo-sanne', organisation: 'SLT Haven' });
      const other = await concern(sanneElsewhere, concernId);
      expect(other.status).toBe(404);
      expect(other.text).not.toContain(C.asha);
    });
  });

  it("hides Asha's mental-health goal from her mother until Asha consents, and again once she withdraws", async () => {
    const miriam = await token({
      sub: 'citizen-miriam',
      roles: ['citizen'],
      memberId: ashaIds.miriam,
    });
    const ashaSelf = await token({
      sub: 'citizen-asha',
      roles: ['citizen'],
      memberId: ashaIds.asha,
    });
    const plan = async (who: string) =>
      (await session.read(who, `/api/v1/families/${asha}/plan`).expect(200)).text;

    const own = await plan(ashaSelf);
    for (const s of [A.housing, A.mental, A.safety]) expect(own).toContain(s);
    const before = await plan(miriam);
    for (const s of [A.housing, A.mental, A.safety]) expect(before).not.toContain(s);

    const consents = `/api/v1/families/${asha}/members/${ashaIds.asha}/consents`;
    await session.send(
      miriam,
      'post',
      consents,
      {
        memberId: ashaIds.miriam,
        lifeDomain: 'mental_health',
        purpose: 'Moeder helpt bij de behandeling',
      },
      403,
    );
    const { consentId } = await session.send(
      ashaSelf,
      'post',
      consents,
      {
        memberId: ashaIds.miriam,
        lifeDomain: 'mental_health',
        purpose: 'Moeder helpt bij de behandeling',
      },
      201,
    );
    const during = await plan(miriam);
    expect(during).toContain(A.mental);
    expect(during).not.toContain(A.housing);

    await session.send(ashaSelf, 'delete', `${consents}/${consentId}`, {}, 200);
    expect(await plan(miriam)).not.toContain(A.mental);
  });

  it('lets a parent read a young child’s items, and nobody else’s adult items', async () => {
    const paulienSelf = await token({
      sub: 'citizen-paulien',
      roles: ['citizen'],
      memberId: paulienIds.paulien,
    });
    const jayden = await token({
      sub: 'citizen-jayden',
      roles: ['citizen'],
      memberId: paulienIds.jayden,
    });
    const plan = async (who: string) =>
      (await session.read(who, `/api/v1/families/${paulien}/plan`).expect(200)).text;
    const own = await plan(paulienSelf);
    for (const s of [P.housing, P.debt, P.health, P.creche]) expect(own).toContain(s);
    const partner = await plan(jayden);
    for (const s of [P.housing, P.debt, P.health, P.creche]) expect(partner).not.toContain(s);
  });
});
