import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { birthdayOfAge, toDateString } from '#libs/clock/calendar.js';
import { ProjectionRunner } from '#libs/projections/projection-runner.js';
import { TURNS_18 } from '../src/families/came-of-age.projection.js';
import { httpSession, type HttpSession } from './support/http-session.js';
import { eventually } from './support/load.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { createTestDatabase } from './support/test-database.js';

const TEAM = randomUUID();
const DAY = 24 * 60 * 60 * 1000;

/** A date of birth that makes someone 18 in `days` days from `now`. */
function turning18In(days: number, now: Date): string {
  const birthday = new Date(now.getTime() + days * DAY);
  birthday.setUTCFullYear(birthday.getUTCFullYear() - 18);
  if (toDateString(birthday).endsWith('-02-29')) birthday.setUTCDate(28);
  return toDateString(birthday);
}

describe("a member's 18th birthday, by the clock", () => {
  let t: TestApp;
  let sanne: string;
  let s: HttpSession;

  beforeAll(async () => {
    t = await startTestApp();
    s = httpSession(t);
    sanne = await t.token({ teams: [TEAM] });
  });
  afterAll(async () => t?.close());

  async function cameOfAge(): Promise<Array<{ memberId: string; actor: string; cause: string }>> {
    const rows: Array<{
      data: { memberId: string };
      metadata: { actor: { userId: string }; causationId: string };
    }> = await t.infra.dataSource.query(
      `SELECT data, metadata FROM events WHERE type = 'family.MemberCameOfAge' ORDER BY seq`,
    );
    return rows.map((r) => ({
      memberId: r.data.memberId,
      actor: r.metadata.actor.userId,
      cause: r.metadata.causationId,
    }));
  }

  it('records MemberCameOfAge once, on the birthday, and the plan goes on unchanged', async () => {
    const now = await s.now();
    const asha = turning18In(10, now);
    const registered = await s.registerFamily(sanne, {
      teamId: TEAM,
      members: [
        { givenName: 'Mirjam', familyName: 'Bakker', dateOfBirth: '1980-04-02', role: 'parent' },
        { givenName: 'Asha', familyName: 'Bakker', dateOfBirth: asha, role: 'child' },
        {
          givenName: 'Sem',
          familyName: 'Bakker',
          dateOfBirth: turning18In(20, now),
          role: 'child',
        },
      ],
    });
    const [mother, ashaId, semId] = registered.memberIds as string[];
    const plan = `/api/v1/families/${registered.familyId}/plan`;
    await s.send(sanne, 'post', plan, {}, 201);
    await s.send(
      sanne,
      'post',
      `${plan}/goals`,
      {
        familyWording: 'Een plek waar ik wel pas',
        concerns: [ashaId],
        lifeDomain: 'mental_health',
      },
      201,
    );
    await s.send(
      sanne,
      'post',
      `${plan}/signatures`,
      { party: { kind: 'member', id: mother } },
      200,
    );
    await s.send(
      sanne,
      'post',
      `${plan}/signatures`,
      { party: { kind: 'member', id: ashaId } },
      200,
    );
    // Sem leaves home before his birthday: a departed member's birthday is not recorded.
    await s.send(
      sanne,
      'post',
      `/api/v1/families/${registered.familyId}/members/${semId}/departure`,
      {},
      200,
    );
    const before = (await s.read(sanne, plan).expect(200)).body;
    expect(before).toMatchObject({ status: 'agreed', version: 1 });
    expect(before.transitionReview).toEqual([
      { memberId: ashaId, turns18On: birthdayOfAge(asha, 18) },
    ]);

    // Other timers (the vacant casusregie, say) fire too: count this event, not all timers.
    await s.advanceDays(9);
    expect(await cameOfAge()).toEqual([]);

    expect((await s.advanceDays(1)).timersFired).toBeGreaterThanOrEqual(1);
    expect(await cameOfAge()).toEqual([
      {
        memberId: ashaId,
        actor: 'system',
        cause: expect.stringContaining(`came-of-age:${ashaId}`),
      },
    ]);

    await s.advanceDays(30);
    await s.advanceDays(400);
    expect(await cameOfAge()).toHaveLength(1);

    const family = (await s.read(sanne, `/api/v1/families/${registered.familyId}`).expect(200))
      .body;
    expect(family.members.find((m: { memberId: string }) => m.memberId === ashaId).age).toBe(19);
    const after = (await s.read(sanne, plan).expect(200)).body;
    expect(after).toMatchObject({ status: 'agreed', version: 1, transitionReview: [] });
    expect(after.goals).toEqual(before.goals);
    expect(after.agreement).toEqual(before.agreement);
  });

  it('keeps a minor, not an adult, for the sweep: by a blind index, with no timer of theirs', async () => {
    const registered = await s.registerFamily(sanne, {
      teamId: TEAM,
      members: [
        { givenName: 'Paulien', familyName: 'Visser', dateOfBirth: '2002-03-14', role: 'parent' },
        { givenName: 'Noah', familyName: 'Visser', dateOfBirth: '2025-05-20', role: 'child' },
      ],
    });
    await s.advanceDays(0);
    await t.app.get(ProjectionRunner).catchUp('came-of-age');
    // Before, this was a timer `came-of-age:<Noah>` due 2043-05-20: his birthday in plaintext.
    const timers: Array<{ timer_id: string }> = await t.infra.dataSource.query(
      `SELECT timer_id FROM scheduled_timers WHERE payload->>'familyId' = $1`,
      [registered.familyId],
    );
    expect(timers).toEqual([]);
    const minors = await t.infra.dataSource.query(
      'SELECT member_id, turns_18, due FROM came_of_age_minors WHERE family_id = $1',
      [registered.familyId],
    );
    expect(minors).toEqual([
      {
        member_id: registered.memberIds[1],
        turns_18: t.infra.vault.blindIndex(TURNS_18, '2043-05-20'),
        due: false,
      },
    ]);
  });
});

describe('coming of age while the server was down, on two instances, across restarts', () => {
  const running: TestApp[] = [];
  const start = async (env: Record<string, string>) => {
    const app = await startTestApp(env);
    running.push(app);
    return app;
  };
  afterAll(async () => {
    await Promise.all(running.splice(0).map((app) => app.close()));
  });

  it('records it once, on one instance of two, and not again after a restart', async () => {
    const shared = {
      DATABASE_URL: await createTestDatabase('came_of_age'),
      DATA_DIR: mkdtempSync(join(tmpdir(), 'egep-came-of-age-')),
      MASTER_KEY: randomBytes(32).toString('base64'),
    };
    const setup = await start(shared);
    const s = httpSession(setup);
    const token = await setup.token({ teams: [TEAM] });
    const dateOfBirth = turning18In(30, await s.now());
    const registered = await s.registerFamily(token, {
      teamId: TEAM,
      members: [
        { givenName: 'Lotte', familyName: 'Kok', dateOfBirth: '1979-12-01', role: 'parent' },
        { givenName: 'Fenna', familyName: 'Kok', dateOfBirth, role: 'child' },
      ],
    });
    const fenna = registered.memberIds[1];
    await s.advanceDays(0);
    await setup.close();
    running.splice(running.indexOf(setup), 1);

    // Down until two days after her birthday; then two instances start, each firing timers.
    const back = new Date(Date.parse(`${birthdayOfAge(dateOfBirth, 18)}T08:00:00Z`) + 2 * DAY);
    const env = { ...shared, DEV_CLOCK_START: back.toISOString(), TIMER_INTERVAL_MS: '50' };
    const instances = await Promise.all([start(env), start(env)]);
    const recorded = async (app = instances[0]) =>
      (
        await app.infra.dataSource.query(
          `SELECT data->>'memberId' AS member_id FROM events WHERE type = 'family.MemberCameOfAge'`,
        )
      ).map((r: { member_id: string }) => r.member_id);
    // Up to 15 s for the timer loops to find it by themselves; then both instances move the
    // clock at once, racing to fire whatever is still due.
    await eventually(
      'an instance records it',
      async () => (await recorded()).length > 0,
      15_000,
    ).catch(() => undefined);
    await Promise.all(instances.map((app) => httpSession(app).advanceDays(1)));
    await new Promise((r) => setTimeout(r, 500));
    expect(await recorded()).toEqual([fenna]);

    await Promise.all(instances.map((app) => app.close()));
    running.splice(0);
    const again = await start({
      ...env,
      DEV_CLOCK_START: new Date(back.getTime() + 3 * DAY).toISOString(),
    });
    await httpSession(again).advanceDays(1);
    await new Promise((r) => setTimeout(r, 500));
    expect(await recorded(again)).toEqual([fenna]);
  });
});
