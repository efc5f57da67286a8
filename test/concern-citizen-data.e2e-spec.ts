import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DAAN_BSN, PAULIEN_AND_DAAN, teamWithAreas } from './support/concern-fixtures.js';
import { httpSession, type HttpSession } from './support/http-session.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const ABSENCE = 'Daan is sinds oktober vaak afwezig';
const THREAT = 'Buren horen geschreeuw en dreigementen in de nacht';

interface Entry {
  entryId: string;
  resource: string;
  memberIds: string[];
  purpose: string;
}

describe("concerns in the subject's inzage", () => {
  let t: TestApp;
  let s: HttpSession;
  let sanne: string; // SLT Haven: intake
  let teacher: string; // De Regenboog
  let housing: string; // Woonstichting
  let daanToken: string;
  let paulienToken: string;
  let familyId: string;
  let daan: string;
  let absence: string; // a school_absence concern about Daan
  let threat: string; // a safety concern about Daan

  const step = (token: string, id: string, what: string, body?: object, status = 200) =>
    s.send(token, 'post', `/api/v1/concerns/${id}/${what}`, body, status);
  const file = async (token: string, category: string, urgency: string, description: string) =>
    (
      await s.send(
        token,
        'post',
        '/api/v1/concerns',
        {
          subject: { bsn: DAAN_BSN, postcode: '1354AB', houseNumber: '12' },
          category,
          urgency,
          description,
        },
        201,
      )
    ).concernId as string;
  const myData = async (token: string) => (await s.read(token, '/api/v1/me/data').expect(200)).body;
  const myLog = async (token: string): Promise<Entry[]> =>
    (await s.read(token, '/api/v1/me/access-log').expect(200)).body.entries;
  const concernReads = (entries: Entry[], concernId: string) =>
    entries.filter((e) => e.resource === 'concern' && e.memberIds.includes(concernId));

  beforeAll(async () => {
    t = await startTestApp({ LOG_LEVEL: process.env.DEBUG_LOG ?? 'silent' });
    s = httpSession(t);
    const haven = await teamWithAreas(t, s, 'Haven', ['1354']);
    sanne = await t.token({ sub: 'prof-sanne', teams: [haven] });
    teacher = await t.token({ sub: 'prof-devries', organisation: 'De Regenboog' });
    housing = await t.token({ sub: 'prof-woon', organisation: 'Woonstichting' });
    const family = await s.send(
      sanne,
      'post',
      '/api/v1/families',
      {
        teamId: haven,
        members: PAULIEN_AND_DAAN,
      },
      201,
    );
    ({ familyId } = family);
    daan = family.memberIds[1];
    daanToken = await t.token({ sub: 'citizen-daan', roles: ['citizen'], memberId: daan });
    paulienToken = await t.token({
      sub: 'citizen-paulien',
      roles: ['citizen'],
      memberId: family.memberIds[0],
    });
    absence = await file(teacher, 'school_absence', 'normal', ABSENCE);
    threat = await file(housing, 'safety', 'safety', THREAT);
    for (const id of [absence, threat]) {
      await step(sanne, id, 'triage');
      await step(sanne, id, 'link', { familyId, memberId: daan });
      // Intake reads it: logged against the concern and, linked, its member.
      await s.read(sanne, `/api/v1/concerns/${id}`).expect(200);
    }
  });

  afterAll(() => t?.close());

  it('shows a linked concern to its member with who raised it and what, and withholds a safety concern', async () => {
    const data = await myData(daanToken);
    expect(data.concerns).toEqual([
      {
        concernId: absence,
        category: 'school_absence',
        receivedAt: expect.any(String),
        status: 'linked',
        reporter: { organisation: 'De Regenboog' },
        description: ABSENCE,
      },
    ]);
    // Nothing of the safety concern, not even that it exists.
    const text = JSON.stringify(data);
    for (const absent of [threat, THREAT, 'Woonstichting', 'safety']) {
      expect(text).not.toContain(absent);
    }
    // The concern is about Daan, not about the rest of the family.
    expect((await myData(paulienToken)).concerns).toEqual([]);
  });

  it("puts intake's reads of the concern in the member's access log, those of a withheld one not", async () => {
    const entries = await myLog(daanToken);
    expect(concernReads(entries, absence)).toEqual([
      expect.objectContaining({
        memberIds: expect.arrayContaining([absence, daan]),
        purpose: `concern ${absence}`,
      }),
    ]);
    expect(JSON.stringify(entries)).not.toContain(threat);
    // Nor does the family's access log, as the member reads it, give it away.
    const familyLog = (
      await s.read(daanToken, `/api/v1/families/${familyId}/access-log`).expect(200)
    ).body.entries as Entry[];
    expect(concernReads(familyLog, absence)).toHaveLength(1);
    expect(JSON.stringify(familyLog)).not.toContain(threat);
  });

  it('lifts the safety restriction for intake only, and for safety concerns only', async () => {
    const problem = await step(sanne, absence, 'safety-restriction-lift', undefined, 422);
    expect(problem.detail).toMatch(/safety/);
    await step(housing, threat, 'safety-restriction-lift', undefined, 403);
    await step(daanToken, threat, 'safety-restriction-lift', undefined, 404);
    expect(
      (await myData(daanToken)).concerns.map((c: { concernId: string }) => c.concernId),
    ).toEqual([absence]);
    await step(sanne, threat, 'safety-restriction-lift');
    await step(sanne, threat, 'safety-restriction-lift', undefined, 409);

    const data = await myData(daanToken);
    expect(data.concerns).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ concernId: absence }),
        {
          concernId: threat,
          category: 'safety',
          receivedAt: expect.any(String),
          status: 'linked',
          reporter: { organisation: 'Woonstichting' },
          description: THREAT,
        },
      ]),
    );
    expect(data.concerns).toHaveLength(2);
    // Now the reads made while it was withheld are shown too: none is lost.
    expect(concernReads(await myLog(daanToken), threat)).toEqual([
      expect.objectContaining({
        memberIds: expect.arrayContaining([threat, daan]),
        purpose: `concern ${threat}`,
      }),
    ]);
  });

  it('shows a concern a family was registered from to the first member registered', async () => {
    const about = await s.send(
      teacher,
      'post',
      '/api/v1/concerns',
      {
        subject: {
          familyName: 'Bos',
          dateOfBirth: '2011-05-06',
          postcode: '1354CD',
          houseNumber: '7',
        },
        category: 'loneliness',
        urgency: 'normal',
        description: 'Mila zit in de pauze altijd alleen',
      },
      201,
    );
    await step(sanne, about.concernId, 'triage');
    const registered = await s.send(
      sanne,
      'post',
      `/api/v1/concerns/${about.concernId}/registration`,
      {
        members: [
          { givenName: 'Mila', familyName: 'Bos', dateOfBirth: '2011-05-06', role: 'child' },
          { givenName: 'Ineke', familyName: 'Bos', dateOfBirth: '1985-02-03', role: 'parent' },
        ],
      },
      201,
    );
    const [mila, ineke] = registered.memberIds;
    const milaToken = await t.token({ sub: 'citizen-mila', roles: ['citizen'], memberId: mila });
    const inekeToken = await t.token({ sub: 'citizen-ineke', roles: ['citizen'], memberId: ineke });
    expect((await myData(milaToken)).concerns).toEqual([
      expect.objectContaining({
        concernId: about.concernId,
        category: 'loneliness',
        status: 'registered',
        description: 'Mila zit in de pauze altijd alleen',
      }),
    ]);
    expect((await myData(inekeToken)).concerns).toEqual([]);
  });
});
