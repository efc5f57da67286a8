import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CommandBus } from '@nestjs/cqrs';
import { familyIdOfConcern } from '../src/concerns/register-from-concern.command.js';
import { RegisterFamilyCommand } from '../src/families/register-family.command.js';
import { teamWithAreas } from './support/concern-fixtures.js';
import { httpSession, type HttpSession } from './support/http-session.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const UNKNOWN_BSN = '123456782';

describe('registering a family from a concern', () => {
  let t: TestApp;
  let s: HttpSession;
  let sanne: string; // SLT Haven: intake
  let pim: string; // SLT Poort: not intake of Haven's concerns
  let teacher: string; // the reporter
  let haven: string;

  const members = [
    {
      givenName: 'Mila',
      familyName: 'Bos',
      dateOfBirth: '2011-05-06',
      role: 'child',
      bsn: UNKNOWN_BSN,
    },
    { givenName: 'Ineke', familyName: 'Bos', dateOfBirth: '1985-02-03', role: 'parent' },
  ];
  const step = (token: string, id: string, what: string, body?: object, status = 200) =>
    s.send(token, 'post', `/api/v1/concerns/${id}/${what}`, body, status);
  const register = (token: string, id: string, body: object, status = 201) =>
    step(token, id, 'registration', body, status);
  /** A concern about an unknown child at 1354 CD 7, as the school files it. */
  const fileConcern = async (houseNumber = '7 a') =>
    (
      await s.send(
        teacher,
        'post',
        '/api/v1/concerns',
        {
          subject: { bsn: UNKNOWN_BSN, postcode: '1354 cd', houseNumber },
          category: 'school_absence',
          urgency: 'normal',
          description: 'Mila komt al weken niet op school',
        },
        201,
      )
    ).concernId as string;
  /** How many family streams hold a registration of this family (0 or 1). */
  const familyEvents = async (familyId: string) =>
    (
      await t.infra.dataSource.query(
        `SELECT type FROM events WHERE stream_id = $1 ORDER BY stream_version`,
        [`family-${familyId}`],
      )
    ).map((r: { type: string }) => r.type);

  beforeAll(async () => {
    t = await startTestApp({ LOG_LEVEL: process.env.DEBUG_LOG ?? 'silent' });
    s = httpSession(t);
    haven = await teamWithAreas(t, s, 'Haven', ['1354']);
    const poort = await teamWithAreas(t, s, 'Poort', ['1363']);
    sanne = await t.token({ sub: 'prof-sanne', teams: [haven] });
    pim = await t.token({ sub: 'prof-pim', teams: [poort] });
    teacher = await t.token({
      sub: 'prof-devries',
      name: 'Mw. De Vries',
      organisation: 'De Regenboog',
    });
  });

  afterAll(() => t?.close());

  it('registers the family with the concern team and the subject address; the caller joins its case team', async () => {
    const concernId = await fileConcern();
    await step(sanne, concernId, 'triage');
    const answer = await register(sanne, concernId, { members });
    expect(answer).toEqual({
      familyId: familyIdOfConcern(concernId),
      memberIds: [expect.any(String), expect.any(String)],
      position: expect.any(String),
    });
    const f = `/api/v1/families/${answer.familyId}`;
    const asCaseTeam = (await s.read(sanne, f).expect(200)).body;
    expect(asCaseTeam).toMatchObject({
      teamId: haven,
      members: [
        { memberId: answer.memberIds[0], givenName: 'Mila', role: 'child' },
        { memberId: answer.memberIds[1], givenName: 'Ineke', role: 'parent' },
      ],
      caseTeam: [{ professionalId: 'prof-sanne', discipline: 'SLT' }],
    });
    // The address is the casusregisseur's to see (privacy.md); as that, the registrar finds it
    // filled in from the concern, in the one spelling addresses are kept in.
    await s.send(sanne, 'post', `${f}/plan`, {}, 201);
    await s.send(sanne, 'put', `${f}/regie/casusregie`, { professionalId: 'prof-sanne' }, 200);
    const asRegisseur = (await s.read(sanne, f).expect(200)).body;
    expect(asRegisseur.address).toEqual({ postcode: '1354CD', houseNumber: '7A' });

    const concern = (await s.read(sanne, `/api/v1/concerns/${concernId}`).expect(200)).body;
    expect(concern).toMatchObject({ status: 'registered', familyId: answer.familyId });
    // Registered once: a second request is refused and registers nothing more.
    await register(sanne, concernId, { members }, 409);
    const registrations = (await familyEvents(answer.familyId)).filter(
      (type: string) => type === 'family.FamilyRegistered',
    );
    expect(registrations).toHaveLength(1);
  });

  it('names each invalid field (400) and registers nothing', async () => {
    const concernId = await fileConcern('9');
    await step(sanne, concernId, 'triage');
    const invalid: Array<[object, string[]]> = [
      [{}, ['members']],
      [{ members: [] }, ['members']],
      [{ members: [{ ...members[0], dateOfBirth: 'gisteren' }] }, ['members[0].dateOfBirth']],
      [{ members: [{ ...members[0], bsn: '123456781' }] }, ['members[0].bsn']],
      [{ members, network: [{ name: 'Oma' }] }, ['network[0].relation']],
      [{ members, teamId: haven }, ['teamId']],
    ];
    for (const [body, fields] of invalid) {
      const problem = await register(sanne, concernId, body, 400);
      expect([body, problem.errors.map((e: { field: string }) => e.field).sort()]).toEqual([
        body,
        fields,
      ]);
    }
    expect(await familyEvents(familyIdOfConcern(concernId))).toEqual([]);
  });

  it('refuses a concern not taken up (409), and anyone but intake (403 reporter, 404 others), registering nothing', async () => {
    const concernId = await fileConcern('11');
    const problem = await register(sanne, concernId, { members }, 409);
    expect(problem.detail).toMatch(/received/);
    await step(sanne, concernId, 'triage');
    await register(teacher, concernId, { members }, 403);
    await register(pim, concernId, { members }, 404);
    const unknown = '5b0c7d3e-2f4a-4b6c-8d9e-0f1a2b3c4d5e';
    await register(sanne, unknown, { members }, 404);
    expect(await familyEvents(familyIdOfConcern(unknown))).toEqual([]);
    expect(await familyEvents(familyIdOfConcern(concernId))).toEqual([]);
    // Dismissed, it is no longer to be registered either.
    await step(sanne, concernId, 'dismissal', { reason: 'Al in beeld bij de huisarts' });
    await register(sanne, concernId, { members }, 409);
    expect(await familyEvents(familyIdOfConcern(concernId))).toEqual([]);
  });

  it('after a crash between the two appends, a retry finds the family and only records the concern step', async () => {
    const concernId = await fileConcern('13');
    await step(sanne, concernId, 'triage');
    const familyId = familyIdOfConcern(concernId);
    // The first attempt stored the family, then died before the concern's append.
    const first = await t.app.get(CommandBus).execute(
      new RegisterFamilyCommand(
        {
          teamId: haven,
          members: members as never,
          address: { postcode: '1354CD', houseNumber: '13' },
        },
        { professionalId: 'prof-sanne', name: 'Sanne', organisation: 'SLT', discipline: 'SLT' },
        { actor: { userId: 'prof-sanne' }, correlationId: 'crashed-attempt' },
        familyId,
      ),
    );
    const retry = await register(sanne, concernId, { members });
    expect(retry).toMatchObject({ familyId, memberIds: first.memberIds });
    expect(await familyEvents(familyId)).toEqual([
      'family.FamilyRegistered',
      'family.ProfessionalJoinedCaseTeam',
    ]);
    const concern = (await s.read(sanne, `/api/v1/concerns/${concernId}`).expect(200)).body;
    expect(concern).toMatchObject({ status: 'registered', familyId });
  });
});
