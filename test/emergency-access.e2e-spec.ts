import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DemoData } from '../src/demo/demo-data.js';
import { DEMO_TEAMS } from '../src/demo/demo-professionals.js';
import { httpSession, type HttpSession } from './support/http-session.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const bearer = { type: 'bearer' as const };
const REASON = 'Politie meldt acute onveiligheid in het gezin, buiten kantoortijd';
const PAULIEN_BSN = '111222333';
// Texts of the demo plan (src/demo/demo-data.ts): a case_team goal and a need_to_know one.
const HOUSING = 'Een huis waar mijn kinderen en ik kunnen wonen';
const HEALTH = 'Gezond blijven tijdens de zwangerschap';

/**
 * Break the glass (api.md, "Emergency access"): a professional of another SLT team reads
 * Paulien's family for a few hours, read-only; every read is flagged and reasoned in the access
 * log, her family sees it, the privacy officer reviews it, and the clock ends it.
 */
describe('emergency access', () => {
  let t: TestApp;
  let paulien: string;
  let paulienId: string;
  let escalationId: string;
  let youri: string;
  let officer: string;
  let s: HttpSession;

  const eventCount = async () =>
    Number(
      (await t.infra.dataSource.query('SELECT count(*)::int AS n FROM events'))[0].n as number,
    );
  // The search reads the blind index, a read model: after someone else's write, say so.
  const grant = (body: object, status: number, who = youri) =>
    s.command(who, 'post', '/api/v1/emergency-access', body, status, {
      'X-Consistent-After': s.position,
    });

  beforeAll(async () => {
    t = await startTestApp({ DEMO_DATA: 'true', EMERGENCY_ACCESS_HOURS: '4' });
    s = httpSession(t);
    ({ paulien } = t.app.get(DemoData).summary!);
    const head = await t.infra.eventStore.headPosition();
    s.remember(`${head!.commit}-${head!.prepare}`);
    const sanne = await t.token({
      sub: 'demo-sanne',
      organisation: 'SLT Haven',
      teams: [DEMO_TEAMS.haven],
    });
    paulienId = (await s.read(sanne, `/api/v1/families/${paulien}`).expect(200)).body.members[0]
      .memberId;
    escalationId = (await s.read(sanne, `/api/v1/escalations?familyId=${paulien}`).expect(200)).body
      .items[0].escalationId;
    // Youri works in SLT Stad-West: Paulien's family is not his, so he knows nothing of it.
    youri = await t.token({
      sub: 'demo-youri',
      name: 'Youri Bakker',
      organisation: 'SLT Stad-West',
      teams: [DEMO_TEAMS.stadWest],
    });
    officer = await t.token({ sub: 'po-1', roles: ['privacy_officer'] });
  });
  afterAll(async () => t?.close());

  it('refuses who may not break the glass and input that is not valid, appending nothing', async () => {
    const before = await eventCount();
    const valid = { subject: { bsn: PAULIEN_BSN }, reason: REASON };
    for (const claims of [
      { sub: 'no-team', teams: [] },
      { sub: 'aud', roles: ['auditor'], teams: [DEMO_TEAMS.haven] },
      { sub: 'cit', roles: ['citizen'], teams: [DEMO_TEAMS.haven] },
    ]) {
      const response = await grant(valid, 403, await t.token(claims));
      expect({ claims, status: response.status }).toEqual({ claims, status: 403 });
    }
    const invalid: Array<[object, string]> = [
      [{ subject: { bsn: PAULIEN_BSN }, reason: 'te kort' }, 'reason'],
      [{ subject: { bsn: '123456789' }, reason: REASON }, 'subject.bsn'],
      [
        { subject: { bsn: PAULIEN_BSN, postcode: '1354AB', houseNumber: '12' }, reason: REASON },
        'subject',
      ],
      [{ subject: {}, reason: REASON }, 'subject'],
      [{ subject: { postcode: '0354AB', houseNumber: '12' }, reason: REASON }, 'subject.postcode'],
    ];
    for (const [body, field] of invalid) {
      const response = await grant(body, 400);
      expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    expect(await eventCount()).toBe(before);
  });

  it('lets the professional read the family and plan as the casusregisseur would, BSN masked, and nothing else', async () => {
    const family = `/api/v1/families/${paulien}`;
    await s.read(youri, family).expect(404);

    const granted = await grant({ subject: { bsn: PAULIEN_BSN }, reason: REASON }, 201);
    expect(granted.body).toEqual({
      accessId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      until: expect.any(String),
      families: [{ familyId: paulien }],
      position: expect.any(String),
    });
    // The dev clock runs on in real time: the grant was made a moment before this reading.
    const now = Date.parse((await t.http.get('/api/v1/dev/clock').expect(200)).body.now);
    const left = Date.parse(granted.body.until) - now;
    expect(left).toBeLessThanOrEqual(4 * 3_600_000);
    expect(left).toBeGreaterThan(4 * 3_600_000 - 60_000);

    // Read straight after the grant, without a header: the caller's own write is waited for.
    const view = await t.http.get(family).auth(youri, bearer).expect(200);
    expect(view.text).toContain('Paulien');
    expect(view.text).toContain('******333');
    expect(view.text).not.toContain(PAULIEN_BSN);
    expect(view.body.address).toEqual({ postcode: '1354AB', houseNumber: '12' });
    const plan = await t.http.get(`${family}/plan`).auth(youri, bearer).expect(200);
    for (const text of [HOUSING, HEALTH]) expect(plan.text).toContain(text);

    // Read-only: every command is refused (403: he may see the family now), nothing appended.
    const before = await eventCount();
    const commands: Array<['post' | 'put', string, object]> = [
      ['post', `${family}/plan/notes`, { text: 'Ik was hier' }],
      ['post', `${family}/signals`, { category: 'safety', description: 'Acuut' }],
      ['put', `${family}/regie/casusregie`, { professionalId: 'demo-youri' }],
      [
        'post',
        `${family}/case-team`,
        { professionalId: 'demo-youri', name: 'Y', organisation: 'SLT', discipline: 'SLT' },
      ],
      ['put', `${family}/address`, { postcode: '1354AB', houseNumber: '14' }],
    ];
    for (const [method, path, body] of commands) {
      const response = await s.command(youri, method, path, body, 403);
      expect({ path, status: response.status }).toEqual({ path, status: 403 });
    }
    expect(await eventCount()).toBe(before);
    // No escalation dossier, and no full BSN.
    await s.read(youri, `/api/v1/escalations/${escalationId}`).expect(404);
    await s.send(
      youri,
      'post',
      `${family}/members/${paulienId}/bsn-reveal`,
      { reason: 'Nodig voor de melding bij Veilig Thuis' },
      403,
    );
  });

  it('logs every read it allowed with breakTheGlass and the reason, for the privacy officer and the family', async () => {
    const log = await s.read(officer, `/api/v1/families/${paulien}/access-log`).expect(200);
    const flagged = (
      log.body.entries as Array<{ userId: string; breakTheGlass: boolean; purpose: string }>
    ).filter((e) => e.userId === 'demo-youri');
    expect(flagged.length).toBeGreaterThanOrEqual(2);
    for (const entry of flagged)
      expect(entry).toMatchObject({ breakTheGlass: true, purpose: REASON });

    const citizen = await t.token({
      sub: 'citizen-paulien',
      roles: ['citizen'],
      memberId: paulienId,
    });
    const own = await s.read(citizen, '/api/v1/me/access-log').expect(200);
    const seen = (
      own.body.entries as Array<{ userId: string; breakTheGlass: boolean; purpose: string }>
    ).filter((e) => e.userId === 'demo-youri');
    expect(seen.length).toBeGreaterThanOrEqual(1);
    for (const entry of seen) expect(entry).toMatchObject({ breakTheGlass: true, purpose: REASON });
  });

  it('finds a household by address, answers an unknown subject with no families, and logs both', async () => {
    const byAddress = await grant(
      { subject: { postcode: '1354 ab', houseNumber: '12' }, reason: REASON },
      201,
    );
    expect(byAddress.body.families).toEqual([{ familyId: paulien }]);
    const nobody = await grant({ subject: { bsn: '123456782' }, reason: REASON }, 201);
    expect(nobody.body.families).toEqual([]);
    const queue = await s
      .read(officer, '/api/v1/privacy/emergency-accesses?status=unreviewed')
      .expect(200);
    const found = queue.body.items.find(
      (i: { accessId: string }) => i.accessId === nobody.body.accessId,
    );
    expect(found).toMatchObject({ userId: 'demo-youri', familyIds: [], reads: 0, review: null });
  });

  it("queues every access for the privacy officer's review, once, with what it read", async () => {
    await s.read(youri, '/api/v1/privacy/emergency-accesses').expect(403);
    const queue = await s
      .read(officer, '/api/v1/privacy/emergency-accesses?status=unreviewed')
      .expect(200);
    const first = queue.body.items[0];
    expect(first).toMatchObject({
      userId: 'demo-youri',
      organisation: 'SLT Stad-West',
      reason: REASON,
      familyIds: [paulien],
      reads: 2,
      review: null,
    });
    const path = `/api/v1/privacy/emergency-accesses/${first.accessId}/review`;
    const note = 'Geen acute situatie: de melding had tot de ochtend kunnen wachten';
    await s.send(youri, 'post', path, { justified: true, note: 'ok' }, 403);
    await s.send(officer, 'post', path, { justified: false, note }, 200);
    await s.send(officer, 'post', path, { justified: true, note }, 409);
    const done = await s
      .read(officer, '/api/v1/privacy/emergency-accesses?status=reviewed')
      .expect(200);
    expect(done.body.items).toMatchObject([
      { accessId: first.accessId, review: { justified: false, note, reviewedBy: 'po-1' } },
    ]);
    const open = await s
      .read(officer, '/api/v1/privacy/emergency-accesses?status=unreviewed')
      .expect(200);
    expect(open.body.items.map((i: { accessId: string }) => i.accessId)).not.toContain(
      first.accessId,
    );
  });

  it('ends by the clock: after its hours the family is unknown to him again', async () => {
    const queue = await s.read(officer, '/api/v1/privacy/emergency-accesses').expect(200);
    const latest = queue.body.items
      .map((i: { until: string }) => i.until)
      .sort()
      .pop();
    await s.advancePast(latest);
    const family = `/api/v1/families/${paulien}`;
    await s.read(youri, family).expect(404);
    await s.read(youri, `${family}/plan`).expect(404);
  });

  it("no longer finds an erased member: the index entry goes with the member's key", async () => {
    const sanne = await t.token({
      sub: 'demo-sanne',
      organisation: 'SLT Haven',
      teams: [DEMO_TEAMS.haven],
    });
    const requested = await s.send(
      sanne,
      'post',
      `/api/v1/families/${paulien}/members/${paulienId}/erasure-requests`,
      { reason: 'Op verzoek van Paulien' },
      201,
    );
    await s.send(
      officer,
      'post',
      `/api/v1/erasure-requests/${requested.requestId}/decision`,
      { grant: true, reason: 'Geen bewaarplicht van toepassing' },
      200,
    );
    const after = await grant({ subject: { bsn: PAULIEN_BSN }, reason: REASON }, 201);
    expect(after.body.families).toEqual([]);
    const rows = await t.infra.dataSource.query(
      'SELECT 1 FROM emergency_subject_index WHERE subject_id = $1',
      [paulienId],
    );
    expect(rows).toEqual([]);
  });
});
