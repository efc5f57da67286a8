import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Response } from 'supertest';
import type { AuthUser } from '#libs/auth/auth-user.js';
import { TOKEN_VERIFIER, type DevTokenService } from '#libs/auth/token-verifier.js';
import { eventCount } from './support/event-count.js';
import { httpSession, type HttpSession } from './support/http-session.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const bearer = { type: 'bearer' as const };
const CONTROL = /control characters/;

/**
 * NUL and the other C0 control characters (but tab, line feed and carriage return) in request
 * bodies, queries, path ids and token claims (issue 12, point 4). A NUL in an unencrypted
 * field used to reach PostgreSQL, which refuses it in jsonb: a 500 instead of a 400.
 */
describe('hostile text over HTTP', () => {
  let t: TestApp;
  let s: HttpSession;
  let admin: string;
  let sanne: string;
  let citizen: string;
  let teamId: string;
  let familyId: string;
  let paulien: string;
  let entryId: string;
  let f: string;

  function expectRefused(response: Response, fields: string[], status = 400) {
    const { body } = response;
    expect({ status: response.status, type: response.headers['content-type'] }).toEqual({
      status,
      type: expect.stringMatching(/^application\/problem\+json/),
    });
    expect(body.status).toBe(status);
    expect(body.errors).toEqual(
      fields.map((field) => ({ field, messages: [expect.stringMatching(CONTROL)] })),
    );
  }

  beforeAll(async () => {
    t = await startTestApp();
    s = httpSession(t);
    admin = await t.token({ sub: 'admin-1', roles: ['admin'], teams: [] });
    const team = { name: 'SLT Haven', wijk: 'Haven', stadsdeel: 'Almere Haven' };
    ({ teamId } = await s.send(admin, 'post', '/api/v1/teams', team, 201));
    sanne = await t.token({ teams: [teamId] });
    const family = await s.registerFamily(sanne, {
      teamId,
      members: [
        { givenName: 'Paulien', familyName: 'Jansen', dateOfBirth: '1990-03-14', role: 'parent' },
      ],
      network: [{ name: 'Ria', relation: 'grandmother' }],
    });
    familyId = family.familyId;
    paulien = family.memberIds[0];
    f = `/api/v1/families/${familyId}`;
    await s.send(sanne, 'post', `${f}/plan`, {}, 201);
    citizen = await t.token({ sub: 'citizen-paulien', roles: ['citizen'], memberId: paulien });
    // Sanne's read is on Paulien's access log: the entry a dispute below refers to.
    await s.read(sanne, f).expect(200);
    const log = await s.read(citizen, '/api/v1/me/access-log').expect(200);
    entryId = log.body.entries[0].entryId;
  });
  afterAll(async () => t?.close());

  it('refuses a NUL in each field stored unencrypted with a 400 naming it, and appends nothing', async () => {
    const cases: Array<[string, 'post' | 'put', string, object, string, () => string]> = [
      [
        'team wijk',
        'post',
        '/api/v1/teams',
        { name: 'SLT Stad', wijk: 'Cen\u0000trum', stadsdeel: 'Almere Stad' },
        'wijk',
        () => admin,
      ],
      [
        'network relation at registration',
        'post',
        '/api/v1/families',
        {
          teamId,
          members: [
            { givenName: 'Asha', familyName: 'Doe', dateOfBirth: '1995-01-01', role: 'parent' },
          ],
          network: [{ name: 'Oom Kees', relation: 'uncle\u0000' }],
        },
        'network[0].relation',
        () => sanne,
      ],
      [
        'network relation',
        'post',
        '/api/v1/families/:f/network',
        { name: 'Oom Kees', relation: '\u0000' },
        'relation',
        () => sanne,
      ],
      [
        'case-team organisation',
        'post',
        '/api/v1/families/:f/case-team',
        {
          professionalId: 'prof-joke',
          name: 'Joke',
          organisation: 'GGD\u0000Flevoland',
          discipline: 'jeugdverpleegkundige',
        },
        'organisation',
        () => sanne,
      ],
      [
        'case-team professional',
        'post',
        '/api/v1/families/:f/case-team',
        {
          professionalId: 'prof-\u0000joke',
          name: 'Joke',
          organisation: 'GGD Flevoland',
          discipline: 'jeugd\u0000verpleegkundige',
        },
        'professionalId,discipline',
        () => sanne,
      ],
      [
        'regie',
        'put',
        '/api/v1/families/:f/regie/procesregie',
        { professionalId: 'prof-ilse\u0000', name: 'Ilse', organisation: 'Procesregie' },
        'professionalId',
        () => sanne,
      ],
      [
        'consent organisation',
        'post',
        `/api/v1/families/:f/members/:m/consents`,
        { organisation: 'GGZ\u0000Centraal', lifeDomain: 'mental_health', purpose: 'Afstemmen' },
        'organisation',
        () => sanne,
      ],
      [
        'dispute reason',
        'post',
        '/api/v1/me/access-log/:e/dispute',
        { reason: 'Niet om\u0000 gevraagd' },
        'reason',
        () => citizen,
      ],
    ];
    for (const [label, method, template, body, fields, token] of cases) {
      const before = await eventCount(t);
      const path = template.replace(':f', familyId).replace(':m', paulien).replace(':e', entryId);
      const response = await s.attempt(token(), method, path, body);
      expect({ label, status: response.status }).toEqual({ label, status: 400 });
      expectRefused(response, fields.split(','));
      expect({ label, appended: (await eventCount(t)) - before }).toEqual({ label, appended: 0 });
    }
  });

  it('refuses the other C0 controls in any string, sealed or not, and keeps tab, CR and LF', async () => {
    const goal = (familyWording: string) =>
      s.attempt(sanne, 'post', `${f}/plan/goals`, {
        familyWording,
        concerns: [paulien],
        lifeDomain: 'housing',
      });
    expectRefused(await goal('Een huis\u0001'), ['familyWording']);
    expectRefused(await goal('\u001b[2JEen huis'), ['familyWording']);
    const member = await s.attempt(sanne, 'post', '/api/v1/families', {
      teamId,
      members: [
        { givenName: 'Asha', familyName: 'Doe', dateOfBirth: '1995-01-01', role: 'parent' },
        {
          givenName: 'Noa\u0007',
          familyName: 'Doe\u007f',
          dateOfBirth: '2015-01-01',
          role: 'child',
        },
      ],
      '\u0000': 1,
    });
    // Every field that holds one is named; DEL (U+007F) is not a C0 control.
    expectRefused(member, ['members[1].givenName', '["\\u0000"]']);
    expect((await goal('Een huis\tmet tuin\r\nen een schuur')).status).toBe(201);
  });

  it('refuses a control character in a query value or key, also where no DTO checks the query', async () => {
    const notifications = (query: string) =>
      s.read(sanne, `/api/v1/me/notifications?once=true&${query}`);
    expectRefused(await notifications('x=%00'), ['x']);
    expectRefused(await notifications('%1Bx=1'), ['["\\u001bx"]']);
    expectRefused(await s.read(sanne, '/api/v1/escalations?familyId=%00'), ['familyId']);
  });

  it('names a control character and a body nested too deep in one answer (found by the fuzzer)', async () => {
    const response = await t.http
      .post(`/api/v1/me/access-log/${entryId}/dispute?x=%00`)
      .auth(citizen, bearer)
      .set('content-type', 'application/json')
      .send(`{"reason":"Niet\\u0000 gevraagd","extra":${'['.repeat(40)}${']'.repeat(40)}}`);
    expect(response.status).toBe(400);
    expect(response.body.errors.map((e: { field: string }) => e.field)).toEqual([
      `extra${'[0]'.repeat(31)}`,
      'reason',
      'x',
    ]);
  });

  it('answers a NUL in a path id with a 400 naming the parameter', async () => {
    const fieldOf = async (answer: PromiseLike<Response>) => {
      const response = await answer;
      expect(response.status).toBe(400);
      return (response.body.errors as Array<{ field: string }>).map((e) => e.field);
    };
    const read = (path: string) => s.read(sanne, path);
    expect(await fieldOf(read('/api/v1/families/%00'))).toEqual(['familyId']);
    expect(await fieldOf(read(`${f}/plan/versions/1%00`))).toEqual(['version']);
    expect(await fieldOf(s.attempt(sanne, 'put', `${f}/regie/casusregie%00`, {}))).toEqual([
      'role',
    ]);
    expect(await fieldOf(read(`/api/v1/escalations/${randomUUID()}%00`))).toEqual(['escalationId']);
  });

  it('answers every request with a token whose claim holds a NUL with a 401 naming the claim', async () => {
    const tokens = t.app.get<DevTokenService>(TOKEN_VERIFIER);
    const user: AuthUser = {
      sub: 'prof-sanne',
      name: 'Sanne',
      organisation: 'SLT Haven',
      roles: ['professional'],
      teams: [teamId],
    };
    const cases: Array<[string, Partial<AuthUser>]> = [
      ['sub', { sub: 'prof-\u0000sanne' }],
      ['organisation', { organisation: 'SLT Haven\u0000' }],
      ['name', { name: 'Sanne\u0008' }],
      ['teams', { teams: [teamId, '\u0000'] }],
      ['memberId', { roles: ['citizen'], memberId: `${paulien}\u0000` }],
    ];
    const before = await eventCount(t);
    for (const [claim, claims] of cases) {
      const token = await tokens.issue({ ...user, ...claims });
      for (const answer of [
        s.read(token, '/api/v1/me/inbox'),
        s.read(token, f),
        s.read(token, '/api/v1/me/data'),
        s.attempt(token, 'post', `${f}/network`, { name: 'Oom Kees', relation: 'uncle' }),
      ]) {
        const response = await answer;
        expect({ claim, status: response.status }).toEqual({ claim, status: 401 });
        expectRefused(response, [claim], 401);
        expect(response.headers['www-authenticate']).toMatch(/^Bearer/);
      }
    }
    expect(await eventCount(t)).toBe(before);
  });

  it('issues no development token with a control character in a claim (400 naming it)', async () => {
    const request = (claims: object) =>
      t.http.post('/api/v1/dev/tokens').send({
        sub: 'prof-x',
        name: 'X',
        organisation: 'SLT Haven',
        roles: ['professional'],
        ...claims,
      });
    expectRefused(await request({ sub: 'prof-\u0000x' }), ['sub']);
    expectRefused(await request({ organisation: 'SLT\u0000' }), ['organisation']);
    expectRefused(await request({ teams: [teamId, 'x\u0001'] }), ['teams[1]']);
    expectRefused(await request({ memberId: '\u0000' }), ['memberId']);
    expect((await request({}).expect(201)).body.token).toEqual(expect.any(String));
  });

  it('stores nothing for a refused request with an Idempotency-Key: the key then runs the command', async () => {
    const key = `hostile-${randomUUID()}`;
    const send = (relation: string, status: number) =>
      s.command(sanne, 'post', `${f}/network`, { name: 'Tante Els', relation }, status, {
        'Idempotency-Key': key,
      });
    expectRefused(await send('aunt\u0000', 400), ['relation']);
    const accepted = await send('aunt', 201);
    expect(accepted.headers['idempotent-replayed']).toBeUndefined();
  });
});
