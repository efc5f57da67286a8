import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { httpSession, SMITS, type HttpSession } from './support/http-session.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const TEAM = randomUUID();

interface LogRow {
  entry_id: string;
  at: Date;
  action: string;
  resource: string;
  family_id: string | null;
  member_ids: string[];
  user_id: string;
  user_name: string;
  organisation: string;
  roles: string[];
  on_behalf_of: string | null;
  access_point: { ip: string; userAgent: string; client: string };
  purpose: string;
  rule: string;
  break_the_glass: boolean;
  correlation_id: string;
}

describe('access log (NEN 7513), citizens and the privacy officer', () => {
  let t: TestApp;
  let sanne: string;
  let familyId: string;
  let paulienId: string;
  let noahId: string;
  let escalationId: string;
  let s: HttpSession;

  const rows = async (): Promise<LogRow[]> =>
    t.infra.dataSource.query('SELECT * FROM access_log ORDER BY seq');

  // Reads name a client and user agent: the access log records both for every read.
  const read = (path: string, who: string) =>
    s.read(who, path).set('X-Client-Id', 'regie-app').set('User-Agent', 'egep-tests/1.0');

  beforeAll(async () => {
    t = await startTestApp();
    s = httpSession(t);
    sanne = await t.token({ teams: [TEAM] });
    const family = await s.registerFamily(sanne, {
      teamId: TEAM,
      members: SMITS,
    });
    ({ familyId } = family);
    [paulienId, noahId] = family.memberIds;
    const f = `/api/v1/families/${familyId}`;
    await s.openPlanWithCasusregie(sanne, familyId, 'prof-sanne');
    await s.send(
      sanne,
      'post',
      `${f}/plan/goals`,
      { familyWording: 'Een huis', concerns: [paulienId], lifeDomain: 'housing' },
      201,
    );
    ({ escalationId } = await s.send(
      sanne,
      'post',
      `${f}/signals`,
      { category: 'waiting_list', description: 'Wachtlijst' },
      201,
    ));
  });
  afterAll(async () => t?.close());

  it('writes one record with every field filled for each read, search and reveal', async () => {
    const f = `/api/v1/families/${familyId}`;
    const before = (await rows()).length;
    await read(f, sanne).expect(200);
    await read(`${f}/plan`, sanne).expect(200);
    await read(`${f}/plan/versions/1`, sanne).expect(200);
    await read(`/api/v1/escalations/${escalationId}`, sanne).expect(200);
    await read('/api/v1/escalations', sanne).expect(200);
    await read('/api/v1/me/inbox', sanne).expect(200);
    const revealed = await s.send(
      sanne,
      'post',
      `${f}/members/${paulienId}/bsn-reveal`,
      { reason: 'Aanvraag toeslagen bij de Belastingdienst' },
      200,
      {
        'X-Client-Id': 'regie-app',
        'User-Agent': 'egep-tests/1.0',
      },
    );
    expect(revealed).toEqual({ bsn: '111222333' });

    const written = (await rows()).slice(before);
    expect(written.map((r) => [r.action, r.resource])).toEqual([
      ['read', 'family'],
      ['read', 'plan'],
      ['read', 'plan-version'],
      ['read', 'escalation'],
      ['search', 'escalations'],
      ['search', 'inbox'],
      ['reveal', 'bsn'],
    ]);
    for (const r of written) {
      expect(r).toMatchObject({
        entry_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        at: expect.any(Date),
        user_id: 'prof-sanne',
        user_name: 'Sanne de Vries',
        organisation: 'SLT Haven',
        roles: ['professional'],
        access_point: {
          ip: expect.stringMatching(/\S/),
          userAgent: 'egep-tests/1.0',
          client: 'regie-app',
        },
        purpose: expect.stringMatching(/\S/),
        rule: expect.stringMatching(/\S/),
        break_the_glass: false,
        correlation_id: expect.stringMatching(/\S/),
      });
      if (r.action !== 'search') {
        expect(r.family_id).toBe(familyId);
        expect(r.member_ids.length).toBeGreaterThan(0);
      }
    }
    expect(written[0].rule).toBe('casusregisseur');
    expect(written[6]).toMatchObject({
      member_ids: [paulienId],
      purpose: 'Aanvraag toeslagen bij de Belastingdienst',
    });
  });

  it('refuses UPDATE, DELETE and TRUNCATE on the log, leaving it as it was', async () => {
    const before = await rows();
    for (const sql of [
      "UPDATE access_log SET purpose = 'niets'",
      'DELETE FROM access_log',
      'TRUNCATE access_log CASCADE',
    ]) {
      await expect(t.infra.dataSource.query(sql)).rejects.toThrow(/append-only/);
    }
    expect(await rows()).toEqual(before);
  });

  it('reveals a BSN only to the casusregisseur, with a reason, and never stores it for idempotency', async () => {
    const f = `/api/v1/families/${familyId}`;
    await s.joinCaseTeam(sanne, familyId, {
      professionalId: 'prof-jgz',
      name: 'Joke',
      organisation: 'GGD',
      discipline: 'JGZ',
    });
    const joke = await t.token({ sub: 'prof-jgz', organisation: 'GGD', teams: [] });
    await s.send(
      joke,
      'post',
      `${f}/members/${paulienId}/bsn-reveal`,
      { reason: 'Aanvraag toeslagen bij de Belastingdienst' },
      403,
      { 'X-Consistent-After': s.position },
    );
    await s.send(sanne, 'post', `${f}/members/${paulienId}/bsn-reveal`, { reason: 'kort' }, 400);
    await s.send(
      sanne,
      'post',
      `${f}/members/${noahId}/bsn-reveal`,
      { reason: 'Aanvraag toeslagen bij de Belastingdienst' },
      404,
    );
    await s.send(
      sanne,
      'post',
      `${f}/members/${paulienId}/bsn-reveal`,
      { reason: 'Aanvraag toeslagen bij de Belastingdienst' },
      200,
      { 'Idempotency-Key': 'reveal-1' },
    );
    const stored: Array<{ t: string }> = await t.infra.dataSource.query(
      'SELECT t::text AS t FROM idempotency_records t',
    );
    expect(stored.map((r) => r.t).join('\n')).not.toContain('111222333');
  });

  it('refuses a citizen token whose memberId claim is no UUID (a 403, not a 500)', async () => {
    const odd = await t.token({ sub: 'citizen-odd', roles: ['citizen'], memberId: "x' OR '1'='1" });
    const log = await read('/api/v1/me/access-log', odd).expect(403);
    expect(log.headers['content-type']).toMatch(/application\/problem\+json/);
    await s.send(
      odd,
      'post',
      `/api/v1/me/access-log/${randomUUID()}/dispute`,
      { reason: 'Nee' },
      403,
    );
  });

  it('shows a citizen their own data and who accessed it, and lets them dispute an access', async () => {
    const paulien = await t.token({
      sub: 'citizen-paulien',
      roles: ['citizen'],
      memberId: paulienId,
    });
    const mine = (await read('/api/v1/me/data', paulien).expect(200)).body;
    expect(mine).toMatchObject({
      memberId: paulienId,
      familyId,
      givenName: 'Paulien',
      familyName: 'Smits',
      bsn: '******333',
      role: 'parent',
      consents: [],
      plan: { goals: [expect.objectContaining({ familyWording: 'Een huis' })] },
    });
    const log = (await read('/api/v1/me/access-log', paulien).expect(200)).body.entries;
    const reveal = log.find((e: { action: string }) => e.action === 'reveal');
    expect(reveal).toMatchObject({
      userId: 'prof-sanne',
      userName: 'Sanne de Vries',
      organisation: 'SLT Haven',
      purpose: 'Aanvraag toeslagen bij de Belastingdienst',
      memberIds: [paulienId],
    });
    // Her own reads are logged too, without her name.
    const own = (await rows()).filter((r) => r.user_id === 'citizen-paulien');
    expect(own.map((r) => r.resource)).toEqual(expect.arrayContaining(['me-data', 'access-log']));
    expect(own.every((r) => r.user_name === 'citizen')).toBe(true);

    const { disputeId } = await s.send(
      paulien,
      'post',
      `/api/v1/me/access-log/${reveal.entryId}/dispute`,
      { reason: 'Ik heb hier niet om gevraagd' },
      201,
    );
    const otherEntry = (await rows()).find((r) => !r.member_ids.includes(paulienId))!;
    await s.send(
      paulien,
      'post',
      `/api/v1/me/access-log/${otherEntry.entry_id}/dispute`,
      { reason: 'x' },
      404,
    );
    await s.send(
      sanne,
      'post',
      `/api/v1/me/access-log/${reveal.entryId}/dispute`,
      { reason: 'x' },
      403,
    );

    const officer = await t.token({
      sub: 'po-1',
      organisation: 'Gemeente Almere',
      roles: ['privacy_officer'],
    });
    await read('/api/v1/privacy/disputes', sanne).expect(403);
    const open = (await read('/api/v1/privacy/disputes?status=open', officer).expect(200)).body
      .disputes;
    expect(open).toMatchObject([
      { disputeId, memberId: paulienId, status: 'open', entry: { entryId: reveal.entryId } },
    ]);
    await s.send(
      officer,
      'post',
      `/api/v1/privacy/disputes/${disputeId}/resolution`,
      { upheld: false, text: 'Wettelijke grondslag: toeslagaanvraag' },
      200,
    );
    await s.send(
      officer,
      'post',
      `/api/v1/privacy/disputes/${disputeId}/resolution`,
      { upheld: true, text: 'nogmaals' },
      409,
    );
    expect(
      (await read('/api/v1/privacy/disputes?status=rejected', officer).expect(200)).body.disputes,
    ).toHaveLength(1);

    // The family's log: the officer sees all of it (and that read is logged); the case team not.
    const before = (await rows()).length;
    const familyLog = (await read(`/api/v1/families/${familyId}/access-log`, officer).expect(200))
      .body.entries;
    expect(familyLog.length).toBeGreaterThan(5);
    expect((await rows()).slice(before).map((r) => [r.resource, r.user_id])).toEqual([
      ['access-log', 'po-1'],
    ]);
    await read(`/api/v1/families/${familyId}/access-log`, sanne).expect(403);
    // A child under 12 has no own login: no data through a citizen token.
    const noah = await t.token({ sub: 'citizen-noah', roles: ['citizen'], memberId: noahId });
    await read('/api/v1/me/data', noah).expect(404);
  });
});
