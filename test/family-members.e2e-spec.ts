import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Response } from 'supertest';
import { dump } from './support/database-dump.js';
import { eventCount } from './support/event-count.js';
import {
  httpSession,
  SMITS,
  type HttpSession,
  type RegisteredFamily,
} from './support/http-session.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const TEAM_HAVEN = randomUUID();

/** Paulien Smits, with a BSN, and Noah: registered anew for each test. */
const paulien = () => ({ teamId: TEAM_HAVEN, members: SMITS });

const mila = (): Record<string, string> => ({
  givenName: 'Mila',
  familyName: 'Verbeek',
  dateOfBirth: '2019-08-01',
  role: 'child',
  bsn: '123456782',
});

const joyce = (): Record<string, string> => ({
  professionalId: 'prof-joyce',
  name: 'Joyce Mulder',
  organisation: 'JGZ Almere',
  discipline: 'jeugdverpleegkundige',
});

function expectProblem(response: Response, status: number) {
  expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
  expect(response.body).toMatchObject({
    type: expect.any(String),
    title: expect.any(String),
    status,
  });
}

const fieldsOf = (body: { errors: Array<{ field: string }> }) =>
  body.errors.map((e) => e.field).sort();

describe('family members, network and case team over HTTP', () => {
  let t: TestApp;
  let s: HttpSession;
  let sanne: string;
  let outsider: string;

  beforeAll(async () => {
    t = await startTestApp();
    s = httpSession(t);
    sanne = await t.token({ teams: [TEAM_HAVEN] });
    outsider = await t.token({ sub: 'prof-other', name: 'Other', teams: [randomUUID()] });
  });
  afterAll(async () => t?.close());

  const registerFamily = (): Promise<RegisteredFamily> =>
    s.send(sanne, 'post', '/api/v1/families', paulien(), 201);

  /** A command on `/api/v1/families/{path}`; no body at all when `body` is undefined. */
  const post = (path: string, token: string, body: object | undefined, status: number) =>
    s.command(token, 'post', `/api/v1/families/${path}`, body, status);

  const view = async (familyId: string, token = sanne) =>
    (await s.read(token, `/api/v1/families/${familyId}`).expect(200)).body;

  /** The whole database once the projections have every write of the test. */
  async function plaintextDump(): Promise<string> {
    await s.settled();
    return dump(t.infra.dataSource);
  }

  describe('POST /families/{familyId}/members', () => {
    it('adds a current member, visible in the family view, with personal data sealed', async () => {
      const family = await registerFamily();

      const added = await post(`${family.familyId}/members`, sanne, mila(), 201);

      expect(added.body).toEqual({
        memberId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        position: expect.stringMatching(/^\d+-\d+$/),
      });
      const body = await view(family.familyId);
      expect(body.members).toHaveLength(3);
      expect(body.members[2]).toMatchObject({
        memberId: added.body.memberId,
        givenName: 'Mila',
        familyName: 'Verbeek',
        age: expect.any(Number),
        role: 'child',
        status: 'current',
      });
      // A case-team professional who is not casusregisseur gets no BSN or date of birth.
      expect(body.members[2]).not.toHaveProperty('bsn');
      expect(body.members[2]).not.toHaveProperty('dateOfBirth');
      const dump = await plaintextDump();
      for (const secret of ['Verbeek', '2019-08-01', '123456782']) {
        expect(dump).not.toContain(secret);
      }
    });

    // api.md, "Who may act on a family": a colleague knows of the family (pseudonyms) but does
    // not act on it; the team lead of its team does.
    it('refuses a colleague of the SLT team who is not on the case team (403), and lets the team lead add a member', async () => {
      const family = await registerFamily();
      const colleague = await t.token({ sub: 'prof-colleague', teams: [TEAM_HAVEN] });
      const before = await eventCount(t);

      expectProblem(await post(`${family.familyId}/members`, colleague, mila(), 403), 403);
      expect(await eventCount(t)).toBe(before);
      const lead = await t.token({ sub: 'lead-haven', roles: ['team_lead'], teams: [TEAM_HAVEN] });
      await post(`${family.familyId}/members`, lead, mila(), 201);
    });

    it('answers 404 to a professional outside the case and its team, appending nothing', async () => {
      const family = await registerFamily();
      const before = await eventCount(t);

      const denied = await post(`${family.familyId}/members`, outsider, mila(), 404);

      expectProblem(denied, 404);
      expect(JSON.stringify(denied.body)).not.toContain('Paulien');
      expect(await eventCount(t)).toBe(before);
      const body = await view(family.familyId);
      expect(body.members).toHaveLength(2);
    });

    it('answers 404 for a family that does not exist', async () => {
      const before = await eventCount(t);
      const response = await post(`${randomUUID()}/members`, sanne, mila(), 404);
      expectProblem(response, 404);
      expect(await eventCount(t)).toBe(before);
    });

    it('names each bad field in a 400: a BSN failing the 11-proof, a bad role, an unknown field', async () => {
      const family = await registerFamily();
      const before = await eventCount(t);

      const response = await post(
        `${family.familyId}/members`,
        sanne,
        { ...mila(), bsn: '123456789', role: 'cousin', nickname: 'Mi' },
        400,
      );

      expectProblem(response, 400);
      expect(fieldsOf(response.body)).toEqual(['bsn', 'nickname', 'role']);
      expect(await eventCount(t)).toBe(before);
    });

    it('names a missing name and a future date of birth', async () => {
      const family = await registerFamily();
      const { givenName: _, ...body } = mila();

      const response = await post(
        `${family.familyId}/members`,
        sanne,
        { ...body, dateOfBirth: '2999-01-01' },
        400,
      );

      expect(fieldsOf(response.body)).toEqual(['dateOfBirth', 'givenName']);
    });

    it('answers 400 naming the parameter for a family id that is not a UUID', async () => {
      const response = await post('not-a-uuid/members', sanne, mila(), 400);
      expect(response.body.errors).toEqual([{ field: 'familyId', messages: ['must be a UUID'] }]);
    });

    it('answers a repeat with the same Idempotency-Key with the first response, appending nothing', async () => {
      const family = await registerFamily();
      const key = randomUUID();
      const members = `/api/v1/families/${family.familyId}/members`;
      const first = await s.command(sanne, 'post', members, mila(), 201, {
        'Idempotency-Key': key,
      });
      const afterFirst = await eventCount(t);

      const repeat = await s.command(sanne, 'post', members, mila(), 201, {
        'Idempotency-Key': key,
      });

      expect(repeat.body).toEqual(first.body);
      expect(repeat.headers['idempotent-replayed']).toBe('true');
      expect(await eventCount(t)).toBe(afterFirst);
    });
  });

  describe('POST /families/{familyId}/members/{memberId}/departure', () => {
    it('marks the member departed and keeps them listed; the reason is sealed', async () => {
      const family = await registerFamily();
      const noah = family.memberIds[1];

      const departed = await post(
        `${family.familyId}/members/${noah}/departure`,
        sanne,
        { reason: 'Moved in with grandmother Ria in Lelystad' },
        200,
      );

      expect(departed.body).toEqual({ position: expect.stringMatching(/^\d+-\d+$/) });
      const body = await view(family.familyId);
      expect(
        body.members.map((m: { memberId: string; givenName: string; status: string }) => [
          m.memberId,
          m.givenName,
          m.status,
        ]),
      ).toEqual([
        [family.memberIds[0], 'Paulien', 'current'],
        [noah, 'Noah', 'departed'],
      ]);
      const dump = await plaintextDump();
      expect(dump).not.toContain('Lelystad');
    });

    it('needs no body: the reason is optional', async () => {
      const family = await registerFamily();

      await post(
        `${family.familyId}/members/${family.memberIds[0]}/departure`,
        sanne,
        undefined,
        200,
      );

      const body = await view(family.familyId);
      expect(body.members[0].status).toBe('departed');
    });

    it('answers 409 when the member has already left, appending nothing', async () => {
      const family = await registerFamily();
      const path = `${family.familyId}/members/${family.memberIds[1]}/departure`;
      await post(path, sanne, {}, 200);
      const before = await eventCount(t);

      const again = await post(path, sanne, {}, 409);

      expectProblem(again, 409);
      expect(await eventCount(t)).toBe(before);
    });

    it('answers 404 for an unknown member, an unknown family and an outsider, appending nothing', async () => {
      const family = await registerFamily();
      const before = await eventCount(t);

      const unknownMember = await post(
        `${family.familyId}/members/${randomUUID()}/departure`,
        sanne,
        {},
        404,
      );
      const unknownFamily = await post(
        `${randomUUID()}/members/${family.memberIds[1]}/departure`,
        sanne,
        {},
        404,
      );
      const denied = await post(
        `${family.familyId}/members/${family.memberIds[1]}/departure`,
        outsider,
        {},
        404,
      );

      for (const response of [unknownMember, unknownFamily, denied]) expectProblem(response, 404);
      expect(await eventCount(t)).toBe(before);
      const body = await view(family.familyId);
      expect(body.members.map((m: { status: string }) => m.status)).toEqual(['current', 'current']);
    });

    it('answers 404 to an outsider even for a member who already left (no 409 leak)', async () => {
      const family = await registerFamily();
      const path = `${family.familyId}/members/${family.memberIds[1]}/departure`;
      await post(path, sanne, {}, 200);

      await post(path, outsider, {}, 404);
    });

    it('names a reason over 500 characters, an unknown field and a bad member id', async () => {
      const family = await registerFamily();
      const before = await eventCount(t);

      const tooLong = await post(
        `${family.familyId}/members/${family.memberIds[1]}/departure`,
        sanne,
        { reason: 'x'.repeat(501), movedTo: 'Lelystad' },
        400,
      );
      const badId = await post(`${family.familyId}/members/42/departure`, sanne, {}, 400);

      expectProblem(tooLong, 400);
      expect(fieldsOf(tooLong.body)).toEqual(['movedTo', 'reason']);
      expect(badId.body.errors).toEqual([{ field: 'memberId', messages: ['must be a UUID'] }]);
      expect(await eventCount(t)).toBe(before);
    });
  });

  describe('POST /families/{familyId}/network', () => {
    it('registers a network member, visible in the family view, with the name sealed', async () => {
      const family = await registerFamily();

      const added = await post(
        `${family.familyId}/network`,
        sanne,
        { name: 'Henk Smit', relation: 'neighbour' },
        201,
      );

      expect(added.body).toEqual({
        networkId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        position: expect.stringMatching(/^\d+-\d+$/),
      });
      const body = await view(family.familyId);
      expect(body.network).toEqual([
        {
          networkId: added.body.networkId,
          name: 'Henk Smit',
          relation: 'neighbour',
          erased: false,
        },
      ]);
      expect(await plaintextDump()).not.toContain('Henk Smit');
    });

    it('answers 404 to an outsider and for an unknown family, appending nothing', async () => {
      const family = await registerFamily();
      const before = await eventCount(t);
      const henk = { name: 'Henk Smit', relation: 'neighbour' };

      expectProblem(await post(`${family.familyId}/network`, outsider, henk, 404), 404);
      expectProblem(await post(`${randomUUID()}/network`, sanne, henk, 404), 404);

      expect(await eventCount(t)).toBe(before);
    });

    it('names a missing relation, an empty name and an unknown field', async () => {
      const family = await registerFamily();
      const before = await eventCount(t);

      const response = await post(
        `${family.familyId}/network`,
        sanne,
        { name: '', phone: '06-12345678' },
        400,
      );

      expectProblem(response, 400);
      expect(fieldsOf(response.body)).toEqual(['name', 'phone', 'relation']);
      expect(await eventCount(t)).toBe(before);
    });
  });

  describe('POST /families/{familyId}/case-team', () => {
    it('adds a professional to the case team, who can then read the family', async () => {
      const family = await registerFamily();

      const joined = await post(`${family.familyId}/case-team`, sanne, joyce(), 200);

      expect(joined.body).toEqual({ position: expect.stringMatching(/^\d+-\d+$/) });
      const body = await view(family.familyId);
      expect(body.caseTeam).toEqual([
        {
          professionalId: 'prof-sanne',
          name: 'Sanne de Vries',
          organisation: 'SLT Haven',
          discipline: 'SLT',
        },
        joyce(),
      ]);
      // Joyce is in no SLT team: the case team alone gives her access, to read and to act.
      const joyceToken = await t.token({
        sub: 'prof-joyce',
        name: 'Joyce Mulder',
        organisation: 'JGZ Almere',
        teams: [],
      });
      await view(family.familyId, joyceToken);
      await post(
        `${family.familyId}/network`,
        joyceToken,
        { name: 'Coach Ali', relation: 'football coach' },
        201,
      );
    });

    it('answers 409 when the professional is already on the case team, appending nothing', async () => {
      const family = await registerFamily();
      await post(`${family.familyId}/case-team`, sanne, joyce(), 200);
      const before = await eventCount(t);

      const again = await post(
        `${family.familyId}/case-team`,
        sanne,
        { ...joyce(), discipline: 'arts' },
        409,
      );
      const registrar = await post(
        `${family.familyId}/case-team`,
        sanne,
        { ...joyce(), professionalId: 'prof-sanne' },
        409,
      );

      expectProblem(again, 409);
      expectProblem(registrar, 409);
      expect(await eventCount(t)).toBe(before);
    });

    it('answers 404 to an outsider (even one adding themselves) and for an unknown family', async () => {
      const family = await registerFamily();
      const before = await eventCount(t);

      const denied = await post(
        `${family.familyId}/case-team`,
        outsider,
        { ...joyce(), professionalId: 'prof-other' },
        404,
      );
      const unknown = await post(`${randomUUID()}/case-team`, sanne, joyce(), 404);

      expectProblem(denied, 404);
      expectProblem(unknown, 404);
      expect(await eventCount(t)).toBe(before);
      const body = await view(family.familyId);
      expect(body.caseTeam.map((p: { professionalId: string }) => p.professionalId)).toEqual([
        'prof-sanne',
      ]);
    });

    it('names empty, too long, missing and unknown fields', async () => {
      const family = await registerFamily();
      const before = await eventCount(t);

      const response = await post(
        `${family.familyId}/case-team`,
        sanne,
        {
          professionalId: 'prof-joyce',
          name: '',
          organisation: 'x'.repeat(201),
          role: 'casusregisseur',
        },
        400,
      );

      expectProblem(response, 400);
      expect(fieldsOf(response.body)).toEqual(['discipline', 'name', 'organisation', 'role']);
      expect(await eventCount(t)).toBe(before);
    });
  });

  it('documents the new endpoints in OpenAPI', async () => {
    const response = await t.http.get('/docs-json').expect(200);
    expect(Object.keys(response.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/families/{familyId}/members',
        '/api/v1/families/{familyId}/members/{memberId}/departure',
        '/api/v1/families/{familyId}/network',
        '/api/v1/families/{familyId}/case-team',
      ]),
    );
  });
});
