import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Response } from 'supertest';
import { startTestApp, type TestApp } from './support/test-app.js';

const bearer = { type: 'bearer' as const };
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

/** HTTP semantics of issue 12 (points 6 and 7): methods, unknown routes, headers, queries. */
describe('HTTP semantics', () => {
  let t: TestApp;
  let admin: string;
  let sanne: string;
  let teamId: string;
  let familyId: string;
  let parents: string[];
  let f: string;

  async function eventCount(): Promise<number> {
    const rows: Array<{ n: string }> = await t.infra.dataSource.query(
      'SELECT count(*)::text AS n FROM events',
    );
    return Number(rows[0].n);
  }

  function expectProblem(response: Response, status: number, type: string) {
    expect({
      status: response.status,
      contentType: response.headers['content-type'],
      type: response.body.type,
      problemStatus: response.body.status,
    }).toEqual({
      status,
      contentType: expect.stringMatching(/^application\/problem\+json/),
      type: `urn:egep:problem:${type}`,
      problemStatus: status,
    });
  }

  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.token({ sub: 'admin-1', roles: ['admin'], teams: [] });
    const team = await t.http
      .post('/api/v1/teams')
      .auth(admin, bearer)
      .send({ name: 'SLT Haven', wijk: 'Haven', stadsdeel: 'Almere Haven' })
      .expect(201);
    teamId = team.body.teamId;
    sanne = await t.token({ teams: [teamId] });
    const family = await t.http
      .post('/api/v1/families')
      .auth(sanne, bearer)
      .send({
        teamId,
        members: [
          { givenName: 'Paulien', familyName: 'Jansen', dateOfBirth: '1990-03-14', role: 'parent' },
          { givenName: 'Erik', familyName: 'Jansen', dateOfBirth: '1988-07-01', role: 'parent' },
        ],
      })
      .expect(201);
    familyId = family.body.familyId;
    parents = family.body.memberIds;
    f = `/api/v1/families/${familyId}`;
    await t.http.post(`${f}/plan`).auth(sanne, bearer).send({}).expect(201);
  });
  afterAll(async () => t?.close());

  describe('routes', () => {
    it('answers an unknown route with a 404 of type not-found, with or without a token', async () => {
      for (const response of [
        await t.http.get('/api/v1/nonsense').auth(sanne, bearer),
        await t.http.get('/nonsense'),
        await t.http.post(`${f}/nonsense`).send({}),
      ]) {
        expectProblem(response, 404, 'not-found');
        expect(response.body.title).toBe('Not found');
        expect(response.headers.allow).toBeUndefined();
      }
    });

    it('answers a method a documented path does not serve with 405 and the Allow of the route table', async () => {
      const doc = (await t.http.get('/docs-json').expect(200)).body as {
        paths: Record<string, Record<string, unknown>>;
      };
      const before = await eventCount();
      let checked = 0;
      for (const [template, item] of Object.entries(doc.paths)) {
        const path = template.replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000');
        const served = METHODS.filter((m) => m in item);
        const allow = [
          ...served.map((m) => m.toUpperCase()),
          ...(served.includes('get') ? ['HEAD'] : []),
        ].sort();
        for (const method of METHODS.filter((m) => !served.includes(m))) {
          const response = await t.http[method](path).auth(sanne, bearer).send({});
          expect({
            method,
            template,
            status: response.status,
            allow: response.headers.allow,
          }).toEqual({ method, template, status: 405, allow: allow.join(', ') });
          expectProblem(response, 405, 'method-not-allowed');
          checked += 1;
        }
      }
      expect(checked).toBeGreaterThan(50);
      expect(await eventCount()).toBe(before);
    });

    it('answers 405 before authentication, and serves HEAD wherever GET is served', async () => {
      const response = await t.http.delete('/api/v1/teams');
      expectProblem(response, 405, 'method-not-allowed');
      expect(response.headers.allow).toBe('POST');
      await t.http.head('/health/live').expect(200);
    });
  });

  describe('If-Match', () => {
    it('refuses a malformed If-Match with a 400 naming the header, where a stale one is 412', async () => {
      const etag = (await t.http.get(`${f}/plan`).auth(sanne, bearer).expect(200)).headers.etag;
      const goal = (ifMatch: string) =>
        t.http
          .post(`${f}/plan/goals`)
          .auth(sanne, bearer)
          .set('If-Match', ifMatch)
          .send({ familyWording: 'Een huis', concerns: [parents[0]], lifeDomain: 'housing' });
      const before = await eventCount();
      for (const malformed of ['3', 'W/3', '"3', 'null', '"3" "4"', '*, "3"', ' ']) {
        const response = await goal(malformed);
        expectProblem(response, 400, 'validation-error');
        expect({ malformed, errors: response.body.errors }).toEqual({
          malformed,
          errors: [{ field: 'If-Match', messages: [expect.any(String)] }],
        });
      }
      const regie = await t.http
        .put(`${f}/regie/casusregie`)
        .auth(sanne, bearer)
        .set('If-Match', 'version-3')
        .send({ professionalId: 'prof-sanne' });
      expectProblem(regie, 400, 'validation-error');
      expect(regie.body.errors).toEqual([{ field: 'If-Match', messages: [expect.any(String)] }]);
      expectProblem(await goal('"999"'), 412, 'stale-version');
      expect(await eventCount()).toBe(before);
      await goal(`"999", W/${etag}`).expect(201);
      await goal('*').expect(201);
    });
  });

  describe('signatures', () => {
    it('answers a signature with the parties still to sign, none once the plan is agreed', async () => {
      const sign = (id: string) =>
        t.http
          .post(`${f}/plan/signatures`)
          .auth(sanne, bearer)
          .send({ party: { kind: 'member', id } })
          .expect(200);
      const first = await sign(parents[0]);
      expect(first.body).toEqual({
        planStatus: 'draft',
        stillToSign: [{ kind: 'member', id: parents[1] }],
        position: expect.any(String),
      });
      const second = await sign(parents[1]);
      expect(second.body).toEqual({
        planStatus: 'agreed',
        stillToSign: [],
        position: expect.any(String),
      });
    });
  });

  describe('empty query values', () => {
    it('refuses an empty enum or boolean query value with a 400 naming it, as any invalid value', async () => {
      const analyst = await t.token({ sub: 'analyst-1', roles: ['policy_analyst'] });
      const officer = await t.token({ sub: 'po-1', roles: ['privacy_officer'] });
      const cases: Array<[string, string, string]> = [
        ['/api/v1/me/notifications?once=', 'once', sanne],
        ['/api/v1/escalations?level=', 'level', sanne],
        ['/api/v1/escalations?level=0x1', 'level', sanne],
        ['/api/v1/escalations?level=%201', 'level', sanne],
        ['/api/v1/escalations?status=', 'status', sanne],
        ['/api/v1/escalations?overdue=', 'overdue', sanne],
        ['/api/v1/escalations?familyId=', 'familyId', sanne],
        ['/api/v1/erasure-requests?status=', 'status', officer],
        ['/api/v1/privacy/disputes?status=', 'status', officer],
        ['/api/v1/monitor?groupBy=', 'groupBy', analyst],
        [`/api/v1/audit/families/${familyId}/state?asOf=`, 'asOf', admin],
      ];
      for (const [url, field, token] of cases) {
        const response = await t.http.get(url).auth(token, bearer);
        expect({ url, status: response.status }).toEqual({ url, status: 400 });
        expect({
          url,
          fields: response.body.errors.map((e: { field: string }) => e.field),
        }).toEqual({ url, fields: [field] });
      }
      await t.http.get('/api/v1/escalations?level=0').auth(sanne, bearer).expect(200);
    });
  });

  describe('requests Node refuses before Express', () => {
    /** Sends raw bytes and reads the whole answer: supertest cannot send malformed HTTP. */
    async function raw(bytes: string): Promise<string> {
      const server = t.app.getHttpServer();
      if (!server.listening) await new Promise<void>((resolve) => server.listen(0, resolve));
      const { port } = server.address() as AddressInfo;
      return new Promise((resolve, reject) => {
        const socket = connect(port, '127.0.0.1', () => socket.write(bytes));
        let text = '';
        socket.setEncoding('utf8');
        socket.on('data', (chunk: string) => (text += chunk));
        socket.on('close', () => resolve(text));
        socket.on('error', reject);
      });
    }

    it('answers headers over the limit with a 431 problem document', async () => {
      const response = await t.http
        .get('/api/v1/me/inbox')
        .auth(sanne, bearer)
        .set('X-Padding', 'x'.repeat(20_000));
      expectProblem(response, 431, 'request-header-fields-too-large');
      expect(response.body.title).toBe('Request header fields too large');
      await t.http.get('/api/v1/me/inbox').auth(sanne, bearer).expect(200);
    });

    it('answers a request that is not HTTP, or a NUL in a header, with a 400 problem document', async () => {
      for (const bytes of [
        'NONSENSE\r\n\r\n',
        'GET /health HTTP/1.1\r\nHost: x\r\nIdempotency-Key: a\u0000b\r\n\r\n',
      ]) {
        const answer = await raw(bytes);
        const [head, body] = answer.split('\r\n\r\n');
        expect(head).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
        expect(head).toMatch(/\r\nContent-Type: application\/problem\+json\r\n/i);
        expect(head).toMatch(/\r\nConnection: close(\r\n|$)/i);
        expect(JSON.parse(body)).toMatchObject({
          type: 'urn:egep:problem:malformed-request',
          status: 400,
        });
      }
    });
  });
});
