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
        concerns: [],
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

  it('loads nothing into a store that already has events', async () => {
    const before = await t.infra.eventStore.headPosition();
    await t.app.get(DemoData).onApplicationBootstrap();
    expect(await t.infra.eventStore.headPosition()).toEqual(before);
  });
});
