import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DemoData } from '../src/demo/demo-data.js';
import { DEMO_TEAMS } from '../src/demo/demo-professionals.js';
import { startTestApp, type TestApp } from './support/test-app.js';

describe('demo data on an empty database', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ DEMO_DATA: 'true' });
  });
  afterAll(async () => t?.close());

  it("shows Paulien's and Asha's agreed plans through the API", async () => {
    const demo = t.app.get(DemoData).summary!;
    const sanne = await t.token({
      sub: 'demo-sanne',
      organisation: 'SLT Haven',
      teams: [DEMO_TEAMS.haven],
    });
    const youri = await t.token({
      sub: 'demo-youri',
      organisation: 'SLT Stad-West',
      teams: [DEMO_TEAMS.stadWest],
    });
    const head = await t.infra.eventStore.headPosition();
    const after = `${head!.commit}-${head!.prepare}`;

    const paulien = await t.http
      .get(`/api/v1/families/${demo.paulien}/plan`)
      .auth(sanne, { type: 'bearer' })
      .set('X-Consistent-After', after)
      .expect(200);
    const asha = await t.http
      .get(`/api/v1/families/${demo.asha}/plan`)
      .auth(youri, { type: 'bearer' })
      .set('X-Consistent-After', after)
      .expect(200);

    expect(paulien.body.status).toBe('agreed');
    expect(paulien.body.goals.map((g: { familyWording: string }) => g.familyWording)).toEqual([
      'Een huis waar mijn kinderen en ik kunnen wonen',
      'Geen nieuwe schulden maken',
      'Gezond blijven tijdens de zwangerschap',
      'Noah krijgt een plekje op de peuteropvang',
    ]);
    expect(paulien.body.actions.find((a: { overdue: boolean }) => a.overdue)?.description).toBe(
      'Woning met drie slaapkamers zoeken en aanbieden',
    );
    expect(asha.body.status).toBe('agreed');
    expect(asha.body.goals[1]).toMatchObject({
      lifeDomain: 'mental_health',
      confidentiality: 'need_to_know',
    });
    // Each SLT professional sees only their own team's family.
    await t.http.get(`/api/v1/families/${demo.asha}`).auth(sanne, { type: 'bearer' }).expect(404);
    const family = await t.http
      .get(`/api/v1/families/${demo.asha}`)
      .auth(youri, { type: 'bearer' })
      .expect(200);
    expect(
      family.body.members.map((m: { givenName: string; age: number }) => [m.givenName, m.age]),
    ).toEqual([
      ['Asha', 18],
      ['Miriam', 47],
    ]);
  });

  it("puts Paulien's signal at level 0 with Sanne and Asha's safety signal at procesregie", async () => {
    const demo = t.app.get(DemoData).summary!;
    const head = await t.infra.eventStore.headPosition();
    const after = `${head!.commit}-${head!.prepare}`;
    const sanne = await t.token({
      sub: 'demo-sanne',
      organisation: 'SLT Haven',
      teams: [DEMO_TEAMS.haven],
    });
    const pool = await t.token({
      sub: 'pr-1',
      organisation: 'Procesregie',
      roles: ['procesregisseur'],
      teams: [],
    });

    const inbox = await t.http
      .get('/api/v1/me/inbox')
      .auth(sanne, { type: 'bearer' })
      .set('X-Consistent-After', after)
      .expect(200);
    expect(inbox.body.cases).toEqual([
      {
        familyId: demo.paulien,
        roles: ['case_team', 'casusregisseur'],
        openSignals: 1,
        overdueActions: 1,
        // The school's concern that Sanne linked to Paulien's family.
        concerns: [
          {
            concernId: demo.concerns.school,
            category: 'school_absence',
            linkedAt: expect.any(String),
          },
        ],
      },
    ]);
    expect(inbox.body.escalations).toMatchObject([
      { familyId: demo.paulien, level: 0, category: 'no_fitting_provision', why: 'holder' },
    ]);
    const waiting = await t.http
      .get('/api/v1/me/inbox')
      .auth(pool, { type: 'bearer' })
      .set('X-Consistent-After', after)
      .expect(200);
    expect(waiting.body.escalations).toMatchObject([
      { familyId: demo.asha, level: 1, category: 'safety', holder: null, why: 'pool' },
    ]);
  });

  it("gives the demo teams their wijk's postcode areas: a concern is filed with the team of its address", async () => {
    const head = await t.infra.eventStore.headPosition();
    const after = `${head!.commit}-${head!.prepare}`;
    const admin = await t.token({ sub: 'admin-1', roles: ['admin'] });
    // The areas are taken: a new team cannot have one of them.
    await t.http
      .post('/api/v1/teams')
      .auth(admin, { type: 'bearer' })
      .set('X-Consistent-After', after)
      .send({ name: 'SLT Dubbel', wijk: 'Dubbel', stadsdeel: 'Almere', postcodeAreas: ['1356'] })
      .expect(409);
    const teams: Array<{ team_id: string; name: string; postcode_areas: string[] }> =
      await t.infra.dataSource.query(
        'SELECT team_id, name, postcode_areas FROM team_views ORDER BY name',
      );
    expect(teams).toEqual([
      {
        team_id: DEMO_TEAMS.haven,
        name: 'SLT Haven',
        postcode_areas: ['1354', '1355', '1356', '1357'],
      },
      {
        team_id: DEMO_TEAMS.stadWest,
        name: 'SLT Stad-West',
        postcode_areas: ['1317', '1318', '1319'],
      },
    ]);
    const youri = await t.token({
      sub: 'demo-youri',
      organisation: 'SLT Stad-West',
      teams: [DEMO_TEAMS.stadWest],
    });
    const filed = await t.http
      .post('/api/v1/concerns')
      .auth(youri, { type: 'bearer' })
      .send({
        subject: {
          familyName: 'Smit',
          dateOfBirth: '1950-05-05',
          postcode: '1318 AB',
          houseNumber: '7',
        },
        category: 'loneliness',
        urgency: 'normal',
        description: 'Meneer komt al weken de deur niet uit',
      })
      .expect(201);
    const queue = await t.http
      .get(`/api/v1/teams/${DEMO_TEAMS.stadWest}/concerns`)
      .auth(youri, { type: 'bearer' })
      .expect(200);
    expect(queue.body.items.map((i: { concernId: string }) => i.concernId)).toEqual([
      filed.body.concernId,
    ]);
  });

  it("holds the school's concern about Paulien, linked by Sanne, and the corporation's unmatched rent arrears awaiting Haven's intake", async () => {
    const demo = t.app.get(DemoData).summary!;
    const head = await t.infra.eventStore.headPosition();
    const after = `${head!.commit}-${head!.prepare}`;
    const sanne = await t.token({
      sub: 'demo-sanne',
      name: 'Sanne de Vries',
      organisation: 'SLT Haven',
      teams: [DEMO_TEAMS.haven],
    });
    const school = await t.token({ sub: 'demo-school', organisation: 'ROC Flevoland' });
    const corporation = await t.token({ sub: 'demo-corporation', organisation: 'Ymere' });

    const queue = await t.http
      .get(`/api/v1/teams/${DEMO_TEAMS.haven}/concerns`)
      .auth(sanne, { type: 'bearer' })
      .set('X-Consistent-After', after)
      .expect(200);
    expect(queue.body.items).toEqual([
      expect.objectContaining({
        concernId: demo.concerns.school,
        category: 'school_absence',
        status: 'linked',
        match: { familyId: demo.paulien, certainty: 'exact' },
      }),
      expect.objectContaining({
        concernId: demo.concerns.rentArrears,
        category: 'rent_arrears',
        status: 'received',
        dueAt: expect.any(String),
        match: null,
      }),
    ]);
    const linked = await t.http
      .get(`/api/v1/concerns/${demo.concerns.school}`)
      .auth(sanne, { type: 'bearer' })
      .expect(200);
    expect(linked.body).toMatchObject({
      familyId: demo.paulien,
      reporter: { name: 'Esther de Graaf', organisation: 'ROC Flevoland' },
      contact: { name: 'Sanne de Vries', organisation: 'SLT Haven' },
      subject: { bsn: '111222333' },
    });
    expect(linked.body.history.map((h: { event: string }) => h.event)).toEqual([
      'ConcernReceived',
      'ConcernTakenUp',
      'ConcernLinked',
    ]);

    const mine = async (token: string) =>
      (await t.http.get('/api/v1/concerns/mine').auth(token, { type: 'bearer' }).expect(200)).body
        .items;
    expect(await mine(school)).toEqual([
      expect.objectContaining({
        concernId: demo.concerns.school,
        status: 'linked',
        contact: { name: 'Sanne de Vries', organisation: 'SLT Haven' },
        matchedOrganisations: [],
      }),
    ]);
    expect(await mine(corporation)).toEqual([
      expect.objectContaining({
        concernId: demo.concerns.rentArrears,
        status: 'received',
        contact: null,
      }),
    ]);
  });

  it('loads nothing into a store that already has events', async () => {
    const before = await t.infra.eventStore.headPosition();
    await t.app.get(DemoData).onApplicationBootstrap();
    expect(await t.infra.eventStore.headPosition()).toEqual(before);
  });
});
