import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ProjectionRunner } from '#libs/projections/projection-runner.js';
import { dump } from './support/database-dump.js';
import { eventCount } from './support/event-count.js';
import { httpSession, type HttpSession } from './support/http-session.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const TEAM_HAVEN = randomUUID();

const paulien = (): {
  teamId: string;
  members: Array<Record<string, string>>;
  network: Array<Record<string, string>>;
} => ({
  teamId: TEAM_HAVEN,
  members: [
    {
      givenName: 'Paulien',
      familyName: 'Jansen',
      dateOfBirth: '2002-03-14',
      role: 'parent',
      bsn: '111222333',
    },
    { givenName: 'Noah', familyName: 'Jansen', dateOfBirth: '2025-05-20', role: 'child' },
    { givenName: 'Jayden', familyName: 'Bakker', dateOfBirth: '2000-11-02', role: 'other' },
  ],
  network: [
    { name: 'Ria Jansen', relation: 'grandmother' },
    { name: 'Mr. K. Visser', relation: 'bewindvoerder' },
  ],
});

/** POST /families as `token`, checking the status; with an Idempotency-Key when given. */
const register = (s: HttpSession, token: string, body: object, status: number, key?: string) =>
  s.command(token, 'post', '/api/v1/families', body, status, key ? { 'Idempotency-Key': key } : {});

describe('families over HTTP', () => {
  let t: TestApp;
  let s: HttpSession;
  let sanne: string;

  beforeAll(async () => {
    t = await startTestApp();
    s = httpSession(t);
    sanne = await t.token({ teams: [TEAM_HAVEN] });
  });
  afterAll(async () => t?.close());

  describe('registering and reading a family', () => {
    it('registers a family and reads it back, with the caller on the case team', async () => {
      const created = await register(s, sanne, paulien(), 201);

      expect(created.body).toEqual({
        familyId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        memberIds: [expect.any(String), expect.any(String), expect.any(String)],
        networkIds: [expect.any(String), expect.any(String)],
        position: expect.stringMatching(/^\d+-\d+$/),
      });

      const view = await s.read(sanne, `/api/v1/families/${created.body.familyId}`).expect(200);

      expect(view.body.familyId).toBe(created.body.familyId);
      expect(view.body.teamId).toBe(TEAM_HAVEN);
      expect(
        view.body.members.map((m: { givenName: string; role: string }) => [m.givenName, m.role]),
      ).toEqual([
        ['Paulien', 'parent'],
        ['Noah', 'child'],
        ['Jayden', 'other'],
      ]);
      expect(view.body.members[0].memberId).toBe(created.body.memberIds[0]);
      expect(view.body.members[0].age).toBeGreaterThanOrEqual(24);
      // On the case team but not casusregisseur: names, ages, roles; no BSN, no date of birth.
      expect(view.body.members[0]).not.toHaveProperty('bsn');
      expect(view.body.members[0]).not.toHaveProperty('dateOfBirth');
      expect(JSON.stringify(view.body)).not.toContain('111222333');

      // As casusregisseur: the full composition, the BSN masked.
      const familyPath = `/api/v1/families/${created.body.familyId}`;
      await s.openPlanWithCasusregie(sanne, created.body.familyId, 'prof-sanne');
      const full = await s.read(sanne, familyPath).expect(200);
      expect(full.body.members[0]).toMatchObject({
        bsn: '******333',
        dateOfBirth: expect.any(String),
      });
      expect(JSON.stringify(full.body)).not.toContain('111222333');
      expect(view.body.network.map((n: { name: string }) => n.name)).toEqual([
        'Ria Jansen',
        'Mr. K. Visser',
      ]);
      expect(view.body.caseTeam).toEqual([
        {
          professionalId: 'prof-sanne',
          name: 'Sanne de Vries',
          organisation: 'SLT Haven',
          discipline: 'SLT',
        },
      ]);
    });

    it('stores no name or BSN in plaintext, in events or read models', async () => {
      await register(s, sanne, paulien(), 201);
      await s.settled();
      const text = await dump(t.infra.dataSource);
      for (const secret of ['Paulien', 'Jansen', '111222333', '2002-03-14', 'Ria Jansen']) {
        expect(text).not.toContain(secret);
      }
    });

    it('answers 404, never 403, to a professional outside the case and its SLT team', async () => {
      const created = await register(s, sanne, paulien(), 201);
      const outsider = await t.token({ sub: 'prof-other', teams: [randomUUID()] });
      const colleague = await t.token({ sub: 'prof-colleague', teams: [TEAM_HAVEN] });

      const denied = await s
        .read(outsider, `/api/v1/families/${created.body.familyId}`)
        .expect(404);
      expect(denied.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(JSON.stringify(denied.body)).not.toContain('Paulien');
      await s.read(colleague, `/api/v1/families/${created.body.familyId}`).expect(200);
      await s.read(sanne, `/api/v1/families/${randomUUID()}`).expect(404);
    });
  });

  describe('authentication', () => {
    it('needs a valid bearer token', async () => {
      await t.http.post('/api/v1/families').send(paulien()).expect(401);
      const tampered = sanne.slice(0, -4) + (sanne.endsWith('AAAA') ? 'BBBB' : 'AAAA');
      const response = await s.read(tampered, `/api/v1/families/${randomUUID()}`).expect(401);
      expect(response.body).toMatchObject({ status: 401, title: 'Unauthorized' });
    });
  });

  describe('who may register', () => {
    it('refuses anybody but an SLT professional or team lead, appending nothing', async () => {
      const before = await eventCount(t);
      for (const roles of [['auditor'], ['citizen'], ['policy_analyst'], ['privacy_officer']]) {
        const token = await t.token({ sub: `x-${roles[0]}`, roles, teams: [TEAM_HAVEN] });
        const response = await s.attempt(token, 'post', '/api/v1/families', paulien());
        expect({ roles, status: response.status }).toEqual({ roles, status: 403 });
        expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
      }
      expect(await eventCount(t)).toBe(before);
      const lead = await t.token({ sub: 'lead-haven', roles: ['team_lead'], teams: [TEAM_HAVEN] });
      await register(s, lead, paulien(), 201);
    });

    it("refuses a professional registering a family for another team's caseload", async () => {
      const before = await eventCount(t);
      const outsider = await t.token({ sub: 'prof-west', teams: [randomUUID()] });
      const response = await register(s, outsider, paulien(), 403);
      expect(response.body).toMatchObject({ status: 403, type: 'urn:egep:problem:forbidden' });
      expect(await eventCount(t)).toBe(before);
    });
  });

  describe('invalid input appends nothing', () => {
    it('names each bad field in a 400 problem document', async () => {
      const before = await eventCount(t);
      const body = paulien();
      body.teamId = 'not-a-uuid';
      body.members[0].dateOfBirth = '2002-13-45';
      body.members[0].bsn = '123456789';
      (body.members[1] as Record<string, unknown>).role = 'cousin';

      const response = await register(s, sanne, body, 400);

      expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(response.body).toMatchObject({
        type: expect.any(String),
        title: expect.any(String),
        status: 400,
      });
      const fields = response.body.errors.map((e: { field: string }) => e.field).sort();
      expect(fields).toEqual([
        'members[0].bsn',
        'members[0].dateOfBirth',
        'members[1].role',
        'teamId',
      ]);
      expect(await eventCount(t)).toBe(before);
    });

    it('rejects unknown fields, naming them', async () => {
      const before = await eventCount(t);
      const body = { ...paulien(), favouriteColour: 'blue' };
      (body.members[0] as Record<string, unknown>).nickname = 'Paul';

      const response = await register(s, sanne, body, 400);

      const text = JSON.stringify(response.body.errors);
      expect(text).toContain('favouriteColour');
      expect(text).toContain('members[0].nickname');
      expect(await eventCount(t)).toBe(before);
    });

    it('names even an empty unknown field, and refuses absurd nesting with a 400', async () => {
      const before = await eventCount(t);
      const empty = await register(s, sanne, { ...paulien(), '': 1 }, 400);
      expect(empty.body.errors).toEqual([
        { field: '[""]', messages: [expect.stringContaining('should not exist')] },
      ]);
      // 20 000 nested arrays used to overflow class-transformer's stack: a 500.
      const deep = JSON.stringify({ ...paulien(), extra: 'DEEP' }).replace(
        '"DEEP"',
        `${'['.repeat(20_000)}${']'.repeat(20_000)}`,
      );
      const nested = await t.http
        .post('/api/v1/families')
        .auth(sanne, { type: 'bearer' })
        .set('Content-Type', 'application/json')
        .send(deep)
        .expect(400);
      expect(nested.body.errors[0]).toMatchObject({ field: expect.stringMatching(/^extra\[0\]/) });
      expect(await eventCount(t)).toBe(before);
    });

    it('refuses a family without members and malformed JSON', async () => {
      const before = await eventCount(t);
      const empty = await register(s, sanne, { teamId: TEAM_HAVEN, members: [] }, 400);
      expect(empty.body.errors.map((e: { field: string }) => e.field)).toEqual(['members']);
      await t.http
        .post('/api/v1/families')
        .auth(sanne, { type: 'bearer' })
        .set('Content-Type', 'application/json')
        .send('{"teamId": ')
        .expect(400);
      expect(await eventCount(t)).toBe(before);
    });

    it('answers 413 to an oversized body', async () => {
      const before = await eventCount(t);
      const body = paulien();
      body.members[0].givenName = 'x'.repeat(200_000);

      const response = await register(s, sanne, body, 413);

      expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(response.body.status).toBe(413);
      expect(await eventCount(t)).toBe(before);
    });
  });

  describe('Idempotency-Key', () => {
    it('answers a repeat with the first response and appends nothing', async () => {
      const key = randomUUID();
      const first = await register(s, sanne, paulien(), 201, key);
      const afterFirst = await eventCount(t);

      const repeat = await register(s, sanne, paulien(), 201, key);

      expect(repeat.body).toEqual(first.body);
      expect(repeat.headers['idempotent-replayed']).toBe('true');
      expect(await eventCount(t)).toBe(afterFirst);
    });

    it('refuses the same key for a different request with 422', async () => {
      const key = randomUUID();
      await register(s, sanne, paulien(), 201, key);
      const before = await eventCount(t);
      const other = paulien();
      other.members[0].givenName = 'Someone else';

      await register(s, sanne, other, 422, key);

      expect(await eventCount(t)).toBe(before);
    });

    it('keeps nothing for a failed request, so a corrected retry with the same key runs', async () => {
      const key = randomUUID();
      await register(s, sanne, { teamId: TEAM_HAVEN, members: [] }, 400, key);
      await register(s, sanne, paulien(), 201, key);
    });

    it('keeps keys apart per caller', async () => {
      const key = randomUUID();
      const other = await t.token({ sub: 'prof-other-2', teams: [TEAM_HAVEN] });
      const a = await register(s, sanne, paulien(), 201, key);
      const b = await register(s, other, paulien(), 201, key);
      expect(b.body.familyId).not.toBe(a.body.familyId);
    });
  });

  describe('operations endpoints', () => {
    it('reports health of the database and the event store', async () => {
      const response = await t.http.get('/health').expect(200);
      expect(response.body).toMatchObject({
        status: 'ok',
        info: { database: { status: 'up' }, eventStore: { status: 'up', kind: 'postgres' } },
      });
    });

    it('answers liveness without a database check', async () => {
      const response = await t.http.get('/health/live').expect(200);
      expect(response.body).toEqual({ status: 'ok' });
    });

    it('serves the OpenAPI document with the family endpoints', async () => {
      const response = await t.http.get('/docs-json').expect(200);
      expect(Object.keys(response.body.paths)).toEqual(
        expect.arrayContaining(['/api/v1/families', '/api/v1/families/{familyId}']),
      );
      await t.http.get('/docs').expect(200);
    });

    it('exposes Prometheus metrics for HTTP, appends and projections', async () => {
      const response = await t.http.get('/metrics').expect(200);
      expect(response.text).toContain('http_request_duration_seconds_bucket');
      expect(response.text).toMatch(/eventstore_events_appended_total [1-9]/);
      expect(response.text).toContain('projection_lag_seconds{projection="families"}');
    });

    it('answers 400 naming the parameter for an id that is not a UUID', async () => {
      const response = await s.read(sanne, '/api/v1/families/not-a-uuid').expect(400);
      expect(response.body.errors).toEqual([{ field: 'familyId', messages: ['must be a UUID'] }]);
    });

    it('answers unknown routes with problem details', async () => {
      const response = await s.read(sanne, '/api/v1/nothing-here').expect(404);
      expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    });
  });
});

describe('X-Consistent-After', () => {
  let t: TestApp;
  let s: HttpSession;
  let sanne: string;

  beforeAll(async () => {
    // Projections start stopped, so the read model is behind until the test starts them.
    t = await startTestApp({ PROJECTIONS_ENABLED: 'false', CONSISTENCY_TIMEOUT_MS: '1500' });
    s = httpSession(t);
    sanne = await t.token({ teams: [TEAM_HAVEN] });
  });
  afterAll(async () => t?.close());

  it('waits for the read model to reach the position, and answers 503 when it does not', async () => {
    const created = await register(s, sanne, paulien(), 201);
    const path = `/api/v1/families/${created.body.familyId}`;

    // Behind: a colleague who did not write it reads the model as it is (no family yet); the
    // writer's own read waits for its write, with or without the header, and gives up with 503.
    const colleague = await t.token({ sub: 'prof-colleague', teams: [TEAM_HAVEN] });
    await t.http.get(path).auth(colleague, { type: 'bearer' }).expect(404);
    const ownRead = await t.http.get(path).auth(sanne, { type: 'bearer' }).expect(503);
    expect(ownRead.headers['retry-after']).toBe('1');
    const behind = await s.read(sanne, path).expect(503);
    expect(behind.headers['retry-after']).toBe('1');

    // Send the read first, then let the projection catch up while the request waits.
    const reading = s.read(sanne, path).then((r) => r);
    await new Promise((r) => setTimeout(r, 50));
    await t.app.get(ProjectionRunner).start();
    const response = await reading;
    expect(response.status).toBe(200);
    expect(response.body.familyId).toBe(created.body.familyId);
  });

  it('refuses a malformed position with 400 naming the header', async () => {
    const response = await t.http
      .get(`/api/v1/families/${randomUUID()}`)
      .auth(sanne, { type: 'bearer' })
      .set('X-Consistent-After', 'yesterday')
      .expect(400);
    expect(response.body.errors[0].field).toBe('X-Consistent-After');
  });
});
