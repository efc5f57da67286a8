import { randomBytes } from 'node:crypto';
import { expect } from '@jest/globals';
import { SignJWT } from 'jose';
import {
  DEV_AUDIENCE,
  DEV_ISSUER,
  TOKEN_VERIFIER,
  type DevTokenService,
} from '#libs/auth/token-verifier.js';
import type { TestApp } from '../test-app.js';
import type { Caller, Fixture } from './request-cases.js';

const bearer = { type: 'bearer' as const };

/** Sends a command that must succeed; answers its body. */
async function command(
  t: TestApp,
  token: string,
  method: 'post' | 'put',
  path: string,
  body: object,
  status: number,
) {
  const response = await t.http[method](path).auth(token, bearer).send(body);
  expect({ path, status: response.status, body: response.body }).toMatchObject({ path, status });
  return response.body as Record<string, unknown>;
}

const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * Real resources of every kind a path names, through the real API: a team (with a postcode
 * area, so concerns about its residents can be filed), a family with a plan, a goal and an
 * action, an escalation, a consent, an erasure request, an access-log entry and a dispute of
 * it, and concerns (one received, one taken up). Hostile requests against ids that exist get
 * furthest.
 */
export async function seedFixture(t: TestApp): Promise<Fixture> {
  const admin = await t.token({ sub: 'fuzz-admin', roles: ['admin'], teams: [] });
  const team = await command(
    t,
    admin,
    'post',
    '/api/v1/teams',
    { name: 'SLT Fuzz', wijk: 'Haven', stadsdeel: 'Almere Haven', postcodeAreas: ['1354'] },
    201,
  );
  const teamId = team.teamId as string;
  const sanne = await t.token({ sub: 'prof-sanne', teams: [teamId] });

  const family = await command(
    t,
    sanne,
    'post',
    '/api/v1/families',
    {
      teamId,
      members: [
        {
          givenName: 'Paulien',
          familyName: 'Jansen',
          dateOfBirth: '1990-03-14',
          role: 'parent',
          bsn: '111222333',
        },
        { givenName: 'Noah', familyName: 'Jansen', dateOfBirth: '2015-05-20', role: 'child' },
      ],
      network: [{ name: 'Ria Jansen', relation: 'grandmother' }],
    },
    201,
  );
  const familyId = family.familyId as string;
  const [paulien, noah] = family.memberIds as string[];
  const [ria] = family.networkIds as string[];
  const f = `/api/v1/families/${familyId}`;
  await command(t, sanne, 'post', `${f}/plan`, {}, 201);
  await command(t, sanne, 'put', `${f}/regie/casusregie`, { professionalId: 'prof-sanne' }, 200);
  const goal = await command(
    t,
    sanne,
    'post',
    `${f}/plan/goals`,
    { familyWording: 'Een huis', concerns: [paulien], lifeDomain: 'housing' },
    201,
  );
  const goalId = goal.goalId as string;
  const action = await command(
    t,
    sanne,
    'post',
    `${f}/plan/actions`,
    {
      goalId,
      description: 'Inschrijven bij de corporatie',
      assignee: { kind: 'member', id: paulien },
      dueDate: '2027-06-01',
    },
    201,
  );
  const signal = await command(
    t,
    sanne,
    'post',
    `${f}/signals`,
    { category: 'no_fitting_provision', description: 'Geen passende woning' },
    201,
  );
  const consent = await command(
    t,
    sanne,
    'post',
    `${f}/members/${paulien}/consents`,
    { organisation: 'GGZ Centraal', lifeDomain: 'mental_health', purpose: 'Behandeling afstemmen' },
    201,
  );
  const erasure = await command(
    t,
    sanne,
    'post',
    `${f}/members/${noah}/erasure-requests`,
    { reason: 'Op verzoek van moeder' },
    201,
  );
  const reveal = await command(
    t,
    sanne,
    'post',
    `${f}/members/${paulien}/bsn-reveal`,
    { reason: 'Aanvraag toeslagen bij de Belastingdienst' },
    200,
  );
  expect(reveal.bsn).toBe('111222333');

  const citizen = await t.token({
    sub: 'citizen-paulien',
    name: 'Paulien',
    roles: ['citizen'],
    memberId: paulien,
  });
  const log = await t.http.get('/api/v1/me/access-log').auth(citizen, bearer).expect(200);
  const entryId = (log.body.entries as Array<{ entryId: string }>)[0].entryId;
  const dispute = await command(
    t,
    citizen,
    'post',
    `/api/v1/me/access-log/${entryId}/dispute`,
    { reason: 'Niet om gevraagd' },
    201,
  );

  const emergency = await command(
    t,
    sanne,
    'post',
    '/api/v1/emergency-access',
    {
      subject: { bsn: '111222333' },
      reason: 'Acute zorgen gemeld door de politie, buiten kantoortijd',
    },
    201,
  );

  // Filed by another caller than the admin: it reads the team's areas after the admin's write.
  const teacher = await t.token({ sub: 'prof-teacher', organisation: 'De Regenboog', teams: [] });
  const concernIds: string[] = [];
  for (const description of ['Paulien komt vaak niet', 'Noah is vaak afwezig']) {
    const filed = await t.http
      .post('/api/v1/concerns')
      .auth(teacher, bearer)
      .set('X-Consistent-After', String(team.position))
      .send({
        subject: { bsn: '111222333', postcode: '1354AB', houseNumber: '12' },
        category: 'school_absence',
        urgency: 'normal',
        description,
      });
    expect({ status: filed.status, body: filed.body }).toMatchObject({ status: 201 });
    concernIds.push(filed.body.concernId as string);
  }
  await command(t, sanne, 'post', `/api/v1/concerns/${concernIds[1]}/triage`, {}, 200);

  const plan = await t.http.get(`${f}/plan`).auth(sanne, bearer).expect(200);
  const etag = String(plan.headers.etag);

  const devTokens = t.app.get<DevTokenService>(TOKEN_VERIFIER);
  const user = {
    sub: 'prof-sanne',
    name: 'Sanne',
    organisation: 'SLT Haven',
    roles: ['professional' as const],
    teams: [teamId],
  };
  const forged = await new SignJWT({ roles: ['admin'], teams: [teamId] })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('prof-sanne')
    .setIssuer(DEV_ISSUER)
    .setAudience(DEV_AUDIENCE)
    .setExpirationTime('1h')
    .sign(randomBytes(32));
  const token = (claims: Parameters<TestApp['token']>[0]) =>
    t.token(claims).then((v) => `Bearer ${v}`);

  const authorization: Record<Caller, string | undefined> = {
    professional: `Bearer ${sanne}`,
    team_lead: await token({ sub: 'lead-haven', roles: ['team_lead'], teams: [teamId] }),
    admin: `Bearer ${admin}`,
    privacy_officer: await token({ sub: 'fuzz-po', roles: ['privacy_officer'], teams: [] }),
    citizen: `Bearer ${citizen}`,
    // Claims as a careless identity provider might send them: the token is genuine.
    'odd-claims-professional': await token({
      sub: "prof-'; DROP TABLE events; --",
      name: '\u202Egnp.exe 👨‍👩‍👧‍👦',
      organisation: '{{7*7}}',
      roles: ['professional', 'team_lead', 'procesregisseur', 'brandpuntfunctionaris'],
      teams: ['not-a-uuid', "' OR '1'='1", teamId.toUpperCase(), ''],
    }),
    'odd-claims-citizen': await token({
      sub: 'citizen-odd',
      roles: ['citizen'],
      memberId: "not-a-uuid' OR '1'='1",
    }),
    auditor: await token({ sub: 'fuzz-auditor', roles: ['auditor'], teams: [] }),
    'no-token': undefined,
    garbage: 'Bearer garbage',
    'long-garbage': `Bearer ${'x'.repeat(1500)}`,
    basic: `Basic ${Buffer.from('admin:admin').toString('base64')}`,
    'bearer-only': 'Bearer',
    'alg-none': `Bearer ${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ ...user, iss: DEV_ISSUER, aud: DEV_AUDIENCE, roles: ['admin'] })}.`,
    forged: `Bearer ${forged}`,
    expired: `Bearer ${await devTokens.issue(user, -60)}`,
    // Signed with the dev key itself: the token endpoint no longer issues such claims.
    'nul-sub': `Bearer ${await devTokens.issue({ ...user, sub: 'prof-\u0000sanne' })}`,
    'nul-organisation': `Bearer ${await devTokens.issue({ ...user, organisation: 'SLT\u0000Haven' })}`,
    'control-name': `Bearer ${await devTokens.issue({ ...user, name: 'Sanne\u001b[2J' })}`,
    'nul-team': `Bearer ${await devTokens.issue({ ...user, teams: [teamId, `${teamId}\u0000`] })}`,
    'control-member-id': `Bearer ${await devTokens.issue({
      ...user,
      roles: ['citizen'],
      memberId: `${paulien}\u0001`,
    })}`,
  };

  return {
    pathValues: {
      familyId: [familyId],
      memberId: [paulien, noah],
      goalId: [goalId],
      actionId: [action.actionId as string],
      escalationId: [signal.escalationId as string],
      // No real directive: one needs a decision at level 2. An unknown one on a real escalation.
      directiveId: [],
      consentId: [consent.consentId as string],
      requestId: [erasure.requestId as string],
      entryId: [entryId],
      disputeId: [dispute.disputeId as string],
      accessId: [emergency.accessId as string],
      teamId: [teamId],
      concernId: concernIds,
      version: ['1'],
      role: ['casusregie', 'perspectiefregie', 'procesregie'],
    },
    bodyValues: {
      teamId: [teamId],
      concerns: [paulien, noah],
      memberId: [paulien, noah],
      goalId: [goalId],
      id: [paulien, ria, 'prof-sanne', 'SLT Haven'],
      professionalId: ['prof-sanne', 'prof-ilse'],
      organisation: ['SLT Haven', 'GGZ Centraal'],
      dateOfBirth: ['2001-01-01', '2020-02-29'],
      bsn: ['111222333', '123456782'],
      familyId: [familyId],
      postcode: ['1354AB', '1354 AB'],
      houseNumber: ['12'],
    },
    queryValues: {
      familyId: [familyId],
      asOf: ['2026-01-01T00:00:00Z', new Date().toISOString()],
      after: ['0-0-0'],
    },
    authorization,
    etag,
    bodyLimitBytes: 100 * 1024,
  };
}
