import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ERASED, PersonalDataVault } from '#libs/personal-data/personal-data-vault.js';
import { ProjectionRunner } from '#libs/projections/projection-runner.js';
import { dump } from './support/database-dump.js';
import { httpSession, type HttpSession } from './support/http-session.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const TEAM = randomUUID();
const LEGAL = 'Jeugdwet art. 7.3.8: bewaarplicht 20 jaar';
// Distinctive, so that finding them anywhere in a dump of the database cannot be a coincidence.
const GIVEN = 'Wilhelmientje';
const FAMILY_NAME = 'Quakkelstein';
const BSN = '739152646';
const OTHER_GIVEN = 'Gerbrandus';
const OTHER_BSN = '582037165';

interface Member {
  memberId: string;
  givenName?: string;
  familyName?: string;
  erased: boolean;
}

describe('erasure by crypto-shredding (privacy.md, "Citizen rights")', () => {
  const masterKey = randomBytes(32);
  let t: TestApp;
  let sanne: string;
  let officer: string;
  let stranger: string;
  let s: HttpSession;

  beforeAll(async () => {
    t = await startTestApp({ MASTER_KEY: masterKey.toString('base64') });
    s = httpSession(t);
    sanne = await t.token({ teams: [TEAM] });
    officer = await t.token({
      sub: 'po-pim',
      name: 'Pim Privacy',
      organisation: 'Gemeente Almere',
      roles: ['privacy_officer'],
    });
    stranger = await t.token({ sub: 'prof-other', teams: [randomUUID()] });
  });
  afterAll(async () => t?.close());

  it('destroys the member key on a granted request: views, dump, rebuild and history agree', async () => {
    const registered = await s.registerFamily(sanne, {
      teamId: TEAM,
      members: [
        {
          givenName: GIVEN,
          familyName: FAMILY_NAME,
          dateOfBirth: '1984-06-01',
          role: 'parent',
          bsn: BSN,
        },
        {
          givenName: OTHER_GIVEN,
          familyName: FAMILY_NAME,
          dateOfBirth: '1982-02-11',
          role: 'parent',
          bsn: OTHER_BSN,
        },
      ],
      network: [{ name: 'Oma Truus', relation: 'grootmoeder' }],
    });
    const familyId: string = registered.familyId;
    const [memberId, otherId] = registered.memberIds as string[];
    const member = `/api/v1/families/${familyId}/members/${memberId}`;
    // The member's personal data never is in the database in plaintext, not even before.
    const before = await dump(t.infra.dataSource);
    expect(before).toContain(memberId);
    expect(before).toContain('Sanne de Vries');
    for (const plaintext of [GIVEN, FAMILY_NAME, BSN, OTHER_GIVEN, OTHER_BSN]) {
      expect(before).not.toContain(plaintext);
    }
    const sealedPersonal = async () => {
      const [registeredEvent] = await t.infra.eventStore.readStream(`family-${familyId}`);
      const { members } = registeredEvent.data as {
        members: Array<{ memberId: string; personal: string }>;
      };
      return Object.fromEntries(members.map((m) => [m.memberId, m.personal]));
    };
    const sealed = await sealedPersonal();
    expect(await t.infra.vault.open(sealed[memberId])).toMatchObject({ bsn: BSN });

    // The member asks herself, with a citizen token that carries her own name.
    const citizen = await t.token({
      sub: 'citizen-wilhelmientje',
      name: `${GIVEN} ${FAMILY_NAME}`,
      organisation: 'Burger',
      roles: ['citizen'],
      memberId,
    });
    const own = await s.send(
      citizen,
      'post',
      `${member}/erasure-requests`,
      { reason: 'Ik wil niet dat mijn gegevens bewaard blijven' },
      201,
    );
    expect(own).toEqual({ requestId: expect.any(String), position: expect.any(String) });
    // Her professional asks on her behalf too; that one is refused.
    const onBehalf = await s.send(
      sanne,
      'post',
      `${member}/erasure-requests`,
      { reason: 'Cliënte wil haar dossier laten vernietigen' },
      201,
    );
    // Anybody who may not know the family gets 404, as for a family or member that does not exist.
    await s.send(stranger, 'post', `${member}/erasure-requests`, { reason: 'x' }, 404);
    await s.send(
      sanne,
      'post',
      `/api/v1/families/${randomUUID()}/members/${memberId}/erasure-requests`,
      { reason: 'x' },
      404,
    );
    await s.send(
      sanne,
      'post',
      `/api/v1/families/${familyId}/members/${randomUUID()}/erasure-requests`,
      { reason: 'x' },
      404,
    );
    await s.send(sanne, 'post', `${member}/erasure-requests`, { reason: '' }, 400);
    await s.send(sanne, 'post', `${member}/erasure-requests`, { reason: 'x', extra: 1 }, 400);

    const decision = (requestId: string) => `/api/v1/erasure-requests/${requestId}/decision`;
    await s.send(
      sanne,
      'post',
      decision(onBehalf.requestId),
      { grant: true, reason: 'Mag weg' },
      403,
    );
    await s.send(officer, 'post', decision(randomUUID()), { grant: false, reason: LEGAL }, 404);
    await s.send(
      officer,
      'post',
      decision(onBehalf.requestId),
      { grant: 'yes', reason: LEGAL },
      400,
    );
    const short = await s.send(
      officer,
      'post',
      decision(onBehalf.requestId),
      { grant: false, reason: 'bewaarplicht' },
      422,
    );
    expect(short.detail).toContain('legal');
    expect(
      await s.send(
        officer,
        'post',
        decision(onBehalf.requestId),
        { grant: false, reason: LEGAL },
        200,
      ),
    ).toEqual({ position: expect.any(String), status: 'refused' });
    await s.send(
      officer,
      'post',
      decision(onBehalf.requestId),
      { grant: true, reason: 'Toch' },
      409,
    );
    expect(await t.infra.vault.open(sealed[memberId])).toMatchObject({ bsn: BSN });

    const open = (await s.read(officer, '/api/v1/erasure-requests?status=open').expect(200)).body;
    expect(open.items).toEqual([
      expect.objectContaining({
        requestId: own.requestId,
        familyId,
        memberId,
        status: 'open',
        requestedAt: expect.any(String),
        reason: 'Ik wil niet dat mijn gegevens bewaard blijven',
      }),
    ]);
    await s.read(sanne, '/api/v1/erasure-requests').expect(403);
    await s.read(officer, '/api/v1/erasure-requests?status=closed').expect(400);

    expect(
      await s.send(
        officer,
        'post',
        decision(own.requestId),
        { grant: true, reason: 'AVG art. 17: geen wettelijke bewaarplicht meer' },
        200,
      ),
    ).toEqual({ position: expect.any(String), status: 'granted' });
    await s.send(officer, 'post', decision(own.requestId), { grant: false, reason: LEGAL }, 409);
    await s.send(sanne, 'post', `${member}/erasure-requests`, { reason: 'Nog een keer' }, 409);

    // (a) Every view shows her as erased; the other member is untouched.
    const family = async () =>
      (await s.read(sanne, `/api/v1/families/${familyId}`).expect(200)).body as {
        members: Member[];
        network: Array<{ name?: string; erased: boolean }>;
      };
    const shown = await family();
    const erased = shown.members.find((m) => m.memberId === memberId)!;
    expect(erased).toMatchObject({ memberId, erased: true });
    expect(erased).not.toHaveProperty('givenName');
    expect(erased).not.toHaveProperty('familyName');
    expect(shown.members.find((m) => m.memberId === otherId)).toMatchObject({
      givenName: OTHER_GIVEN,
      familyName: FAMILY_NAME,
      erased: false,
    });
    expect(shown.network).toEqual([expect.objectContaining({ name: 'Oma Truus', erased: false })]);
    const all = (await s.read(officer, '/api/v1/erasure-requests').expect(200)).body.items;
    expect(all).toEqual([
      expect.objectContaining({
        requestId: own.requestId,
        status: 'granted',
        reason: 'Ik wil niet dat mijn gegevens bewaard blijven',
        decisionReason: 'AVG art. 17: geen wettelijke bewaarplicht meer',
      }),
      expect.objectContaining({
        requestId: onBehalf.requestId,
        status: 'refused',
        decisionReason: LEGAL,
      }),
    ]);

    // (b) No plaintext of her anywhere, and what was sealed for her can no longer be opened,
    // also not by a vault that never cached her key (another server, a restore of a backup).
    const after = await dump(t.infra.dataSource);
    for (const plaintext of [GIVEN, FAMILY_NAME, BSN]) expect(after).not.toContain(plaintext);
    const fresh = new PersonalDataVault(t.infra.dataSource, masterKey);
    for (const vault of [t.infra.vault, fresh]) {
      expect(await vault.open(sealed[memberId])).toBe(ERASED);
      expect(await vault.open(sealed[otherId])).toMatchObject({
        givenName: OTHER_GIVEN,
        bsn: OTHER_BSN,
      });
    }
    const keys: Array<{ wrapped_key: Buffer | null; shredded_at: Date | null }> =
      await t.infra.dataSource.query(
        'SELECT wrapped_key, shredded_at FROM subject_keys WHERE subject_id = $1',
        [memberId],
      );
    expect(keys).toEqual([{ wrapped_key: null, shredded_at: expect.any(Date) }]);

    // (c) Every projection rebuilds from the history, and the view still shows her as erased.
    const runner = t.app.get(ProjectionRunner);
    for (const name of runner.names) await runner.rebuild(name);
    expect(await family()).toEqual(shown);

    // (d) The history still reads in full: her events are there, her data in them is erased.
    const history = await t.infra.eventStore.readStream(`family-${familyId}`);
    expect(history.map((e) => e.type)).toEqual([
      'family.FamilyRegistered',
      'family.ProfessionalJoinedCaseTeam',
    ]);
    expect(await sealedPersonal()).toEqual(sealed);
    const requestHistory = await t.infra.eventStore.readStream(`erasure-${own.requestId}`);
    expect(requestHistory.map((e) => e.type)).toEqual([
      'erasure.ErasureRequested',
      'erasure.ErasureGranted',
    ]);
    expect(requestHistory[1].data).toMatchObject({ memberId, subjects: [memberId] });
  });
});

describe('retention: a closed case is destroyed 20 years after closure, by the clock', () => {
  let t: TestApp;
  let sanne: string;
  let s: HttpSession;

  beforeAll(async () => {
    t = await startTestApp();
    s = httpSession(t);
    sanne = await t.token({ teams: [TEAM] });
  });
  afterAll(async () => t?.close());

  async function registerWithPlan(name: string) {
    const { familyId } = await s.familyWithPlan(sanne, {
      teamId: TEAM,
      members: [
        { givenName: name, familyName: 'Bakker', dateOfBirth: '1980-04-02', role: 'parent' },
        { givenName: `${name}je`, familyName: 'Bakker', dateOfBirth: '2015-09-09', role: 'child' },
      ],
      network: [{ name: `Buurvrouw van ${name}`, relation: 'buurvrouw' }],
      goal: { familyWording: `${name} wil weer rust in huis` },
    });
    const plan = `/api/v1/families/${familyId}/plan`;
    await s.send(sanne, 'post', `${plan}/closure`, { reason: 'goals_achieved' }, 200);
    return { familyId, plan };
  }

  const members = async (familyId: string) =>
    ((await s.read(sanne, `/api/v1/families/${familyId}`).expect(200)).body as {
      members: Member[];
      network: Array<{ erased: boolean }>;
    }) ?? { members: [] };

  it('erases every member, the network and the plan texts; a case reopened before then keeps them', async () => {
    const closed = await registerWithPlan('Mirjam');
    const reopened = await registerWithPlan('Fenna');
    await s.send(sanne, 'post', reopened.plan, {}, 201);

    await s.advanceDays(7300);
    expect((await members(closed.familyId)).members.every((m) => !m.erased)).toBe(true);

    await s.advanceDays(6); // 20 years and a day after the closure, leap days included
    const destroyed = await members(closed.familyId);
    expect(destroyed.members).toHaveLength(2);
    for (const m of destroyed.members) {
      expect(m).toMatchObject({ erased: true });
      expect(m).not.toHaveProperty('givenName');
    }
    expect(destroyed.network).toEqual([expect.objectContaining({ erased: true })]);
    const kept = await members(reopened.familyId);
    expect(kept.members.map((m) => m.givenName)).toEqual(['Fenna', 'Fennaje']);

    const recorded = await t.infra.eventStore.readStream(`retention-${closed.familyId}`);
    expect(recorded.map((e) => e.type)).toEqual(['erasure.RetentionExpired']);
    expect(await t.infra.eventStore.readStream(`retention-${reopened.familyId}`)).toEqual([]);
    const keys: Array<{ subject_id: string }> = await t.infra.dataSource.query(
      `SELECT subject_id FROM subject_keys WHERE wrapped_key IS NULL ORDER BY subject_id`,
    );
    expect(keys.map((k) => k.subject_id)).toEqual(
      [...(recorded[0].data as { subjects: string[] }).subjects].sort(),
    );
    expect(keys.map((k) => k.subject_id)).toContain(closed.familyId);

    // Firing again (a later clock move) changes nothing; the plan's history still reads.
    await s.advanceDays(1);
    expect(await t.infra.eventStore.readStream(`retention-${closed.familyId}`)).toHaveLength(1);
    const plan = (await s.read(sanne, closed.plan).expect(200)).body;
    expect(plan).toMatchObject({ status: 'closed' });
    expect(JSON.stringify(plan)).not.toContain('rust in huis');
  });
});
